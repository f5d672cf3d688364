import { parse as parseCookies } from "cookie";
import type { Request, RequestHandler } from "express";
import type { AdminTokenFile } from "../../engine/admin-token.js";
import { setActor } from "../admin/request-actor.js";
import { sendJson } from "../send-json.js";
import { hostNameOf } from "./host-guard.js";

/**
 * The login cookie's name. HttpOnly and SameSite=Strict: page scripts cannot read it, other sites cannot send it.
 * Browsers keep cookies per host, not per port, so the port is in the name: two Larders on 127.0.0.1 (a second
 * data dir on another port) each keep their own login.
 */
export function adminCookieName(req: Request): string {
  return `larder_admin_${portOf(req.get("host")) || "80"}`;
}

/**
 * Admin API authentication: `Authorization: Bearer TOKEN` (scripts; actor "api") or the login cookie (the UI;
 * actor "ui"). Anything else is 401 with how to get in.
 */
export function adminAuth(tokens: AdminTokenFile): RequestHandler {
  return (req, res, next) => {
    void (async () => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];
      if (bearer !== undefined && (await tokens.matches(bearer))) {
        setActor(req, res, "api");
        next();
        return;
      }
      const cookie = parseCookies(req.get("cookie") ?? "")[adminCookieName(req)];
      if (bearer === undefined && cookie !== undefined && (await tokens.matches(cookie))) {
        setActor(req, res, "ui");
        next();
        return;
      }
      res.setHeader("WWW-Authenticate", 'Bearer realm="larder"');
      sendJson(
        res,
        {
          errors: [
            bearer === undefined && cookie === undefined
              ? "The admin API needs the admin token: open the login URL larder serve printed, or send Authorization: Bearer TOKEN (larder token prints it)."
              : "The admin token is not valid (it may have been rotated): get the current one with larder token.",
          ],
        },
        401,
      );
    })().catch(next);
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a state-changing request comes from another site: its Origin is not this Host, or the browser says so. */
export function isForeignOrigin(req: Request): boolean {
  if (req.get("sec-fetch-site") === "cross-site") return true;
  const origin = req.get("origin");
  if (origin === undefined) return false;
  try {
    const url = new URL(origin);
    return hostNameOf(url.host) !== hostNameOf(req.get("host")) || url.port !== portOf(req.get("host"));
  } catch {
    // "null" (sandboxed frames, file: pages) and anything unparsable.
    return true;
  }
}

function portOf(host: string | undefined): string {
  return /:(\d+)$/.exec(host ?? "")?.[1] ?? "";
}

/** CSRF guard: a POST/PUT/DELETE whose Origin is foreign is refused before any handler runs. */
export const originGuard: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || !isForeignOrigin(req)) {
    next();
    return;
  }
  sendJson(
    res,
    {
      errors: [
        `Refused a ${req.method} from origin ${req.get("origin") ?? "(cross-site)"}: the admin API only accepts changes from its own pages and from scripts.`,
      ],
    },
    403,
  );
};
