import type { Response } from "express";

/**
 * Sends JSON with Content-Type exactly `application/json`: terraform's network-mirror client warns about media
 * type parameters. The header is set with Node's setHeader because Express's `res.type()`/`res.set()` run it
 * through mime-types, which appends `; charset=utf-8`.
 */
export function sendJson(res: Response, body: unknown, status = 200): void {
  res.status(status).setHeader("Content-Type", "application/json");
  res.send(Buffer.from(JSON.stringify(body)));
}
