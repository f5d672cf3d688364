import { CircleCheck, CircleDashed, CircleDot } from "lucide-react";

/** Whether Larder holds something: all of the latest (`stored`), some other version (`partly`), or nothing. */
export function StoredBadge(props: { readonly stored: "stored" | "partly" | "not-stored" }) {
  switch (props.stored) {
    case "stored":
      return (
        <span className="badge ok">
          <CircleCheck size={12} aria-hidden="true" /> stored
        </span>
      );
    case "partly":
      return (
        <span className="badge warn" title="Another version than the latest is stored">
          <CircleDot size={12} aria-hidden="true" /> partly stored
        </span>
      );
    case "not-stored":
      return (
        <span className="badge">
          <CircleDashed size={12} aria-hidden="true" /> not stored
        </span>
      );
  }
}
