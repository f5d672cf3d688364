import type { RequestHandler } from "express";
import { sendJson } from "../send-json.js";

/** The host of a `Host` header without its port, lower case; `[::1]:7373` → `::1`. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1]?.toLowerCase();
  return header.replace(/:\d+$/, "").toLowerCase();
}

/** Loopback names a browser resolves without DNS, so no rebinding attack can put another site behind them. */
export function isLoopbackName(name: string): boolean {
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/**
 * DNS rebinding guard for the admin API and the UI: a page on evil.example whose name was rebound to 127.0.0.1
 * sends `Host: evil.example`, so anything but a loopback name or a name configured with --public-name is refused.
 * The protocol endpoints are not behind it: terraform on other hosts reaches them by any name.
 */
export function hostGuard(publicNames: readonly string[]): RequestHandler {
  const allowed = new Set(publicNames.map((name) => name.toLowerCase()));
  return (req, res, next) => {
    const name = hostNameOf(req.get("host"));
    if (name !== undefined && (isLoopbackName(name) || allowed.has(name))) {
      next();
      return;
    }
    sendJson(
      res,
      {
        errors: [
          `Host "${req.get("host") ?? ""}" is not allowed for the admin API: open Larder at http://127.0.0.1:PORT/ or start larder serve with --public-name ${name ?? "NAME"}.`,
        ],
      },
      403,
    );
  };
}
