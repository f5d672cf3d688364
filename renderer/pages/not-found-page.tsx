import { Compass } from "lucide-react";
import { Link } from "react-router";
import { EmptyState } from "../components/states.js";

/** A UI address that names no page. */
export function NotFoundPage() {
  return (
    <div className="page">
      <h1 className="visually-hidden">Page not found</h1>
      <EmptyState
        icon={Compass}
        title="There is no such page"
        action={
          <Link className="button" to="/browse">
            Go to Browse
          </Link>
        }
      >
        The address may be mistyped, or the page may have moved.
      </EmptyState>
    </div>
  );
}
