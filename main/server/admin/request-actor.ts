import type { Request, Response } from "express";

/** Who made an admin request: the UI (the login cookie) or a script (a bearer token), and from where. */
export interface RequestActor {
  readonly kind: "ui" | "api";
  readonly peer: string | undefined;
  readonly userAgent: string | undefined;
}

/** Records the authenticated actor on the response, for the handlers' audit entries. */
export function setActor(req: Request, res: Response, kind: RequestActor["kind"]): void {
  const actor: RequestActor = {
    kind,
    peer: req.socket.remoteAddress,
    userAgent: req.get("user-agent"),
  };
  res.locals.actor = actor;
}

/** The actor the auth middleware recorded; only reachable behind it. */
export function actorOf(res: Response): RequestActor {
  return res.locals.actor as RequestActor;
}
