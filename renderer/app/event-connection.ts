import { useEffect } from "react";
import { connectEvents } from "../api/events.js";
import { publishApiEvent } from "../state/api-events.js";
import { useConnection } from "../state/connection.js";
import { useStatus } from "../state/status.js";

/** Opens the UI's one event connection for the app's lifetime and feeds every store from it. */
export function useEventConnection(): void {
  useEffect(() => {
    const { changed, greeted } = useConnection.getState();
    let wasLost = false;
    return connectEvents({
      onChange: (change) => {
        changed(change);
        if (change.state === "lost") wasLost = true;
        // Back after an outage: the replay fills the gap, or a resync follows; status is cheap to refetch anyway.
        if (change.state === "open" && wasLost) {
          wasLost = false;
          void useStatus.getState().load();
        }
      },
      onEvent: (event) => {
        if (event.type === "server") greeted(event.version);
        if (event.type === "inventory" || event.type === "job" || event.type === "resync") {
          void useStatus.getState().load();
        }
        publishApiEvent(event);
      },
    });
  }, []);
}
