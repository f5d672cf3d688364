import type { Response } from "express";

/**
 * Sends JSON with Content-Type exactly `application/json`: terraform's network-mirror client warns about media
 * type parameters, and Express would otherwise add `; charset=utf-8` to string bodies.
 */
export function sendJson(res: Response, body: unknown, status = 200): void {
  res.status(status).type("application/json").send(Buffer.from(JSON.stringify(body)));
}
