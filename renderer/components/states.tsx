import { AlertTriangle, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** What a page shows when there is nothing yet, with the next step. */
export function EmptyState(props: {
  readonly icon: LucideIcon;
  readonly title: string;
  readonly children?: ReactNode;
  readonly action?: ReactNode;
}) {
  const Icon = props.icon;
  return (
    <div className="state" role="status">
      <Icon size={32} aria-hidden="true" />
      <h2>{props.title}</h2>
      {props.children ? <p>{props.children}</p> : null}
      {props.action}
    </div>
  );
}

/** A failed load: what went wrong in full, and a retry. */
export function ErrorState(props: {
  readonly title: string;
  readonly message: string;
  readonly onRetry?: () => void;
}) {
  return (
    <div className="state error" role="alert">
      <AlertTriangle size={32} aria-hidden="true" />
      <h2>{props.title}</h2>
      <p>{props.message}</p>
      {props.onRetry ? (
        <button type="button" className="button" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Placeholder rows while a first load is under way. */
export function LoadingRows(props: { readonly rows?: number; readonly label: string }) {
  return (
    <div className="stack" role="status" aria-live="polite">
      <span className="visually-hidden">{props.label}</span>
      {Array.from({ length: props.rows ?? 4 }, (_, index) => (
        <div key={index} className="skeleton" style={{ width: `${90 - index * 12}%` }} />
      ))}
    </div>
  );
}
