import type { Response } from "express";
import type { AdminContext } from "./admin-context.js";
import { actorOf } from "./request-actor.js";

/**
 * Runs a state-changing request's work and records it in the audit log as the UI (login cookie) or a script
 * (bearer token), with the peer address and user agent; a failure is recorded and rethrown to the error handler.
 */
export function audited<T>(
  context: AdminContext,
  res: Response,
  action: string,
  target: string,
  work: () => Promise<T> | T,
  summarize?: (result: T) => string,
): Promise<T> {
  const actor = actorOf(res);
  return context.larder.audit.audited(
    {
      kind: actor.kind,
      ...(actor.peer === undefined ? {} : { peer: actor.peer }),
      ...(actor.userAgent === undefined ? {} : { userAgent: actor.userAgent }),
    },
    action,
    target,
    work,
    summarize,
  );
}
