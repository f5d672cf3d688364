/** Who may change the mirror, as the audit log records it (the `audit_log.actor` CHECK lists the same). */
export const AUDIT_ACTOR_KINDS = ["cli", "ui", "api", "pull-through"] as const;

export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/** How a recorded action ended. */
export type AuditOutcome = "ok" | "failed";

/** True for one of the actor kinds, for checking `--actor` and the API's `actor=` before a query. */
export function isAuditActorKind(value: string): value is AuditActorKind {
  return (AUDIT_ACTOR_KINDS as readonly string[]).includes(value);
}
