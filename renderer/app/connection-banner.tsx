import { WifiOff } from "lucide-react";
import { useEffect, useState } from "react";
import { useConnection } from "../state/connection.js";

/** "Connection lost — reconnecting": shown while the event connection is down, with when it tries again. */
export function ConnectionBanner() {
  const state = useConnection((s) => s.state);
  const retryAt = useConnection((s) => s.retryAt);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (state !== "lost") return;
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [state]);
  if (state !== "lost") return null;
  const seconds = retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <div className="banner warn" role="status">
      <WifiOff size={16} aria-hidden="true" />
      Connection lost — reconnecting{seconds > 0 ? ` in ${seconds} s` : "…"}
    </div>
  );
}
