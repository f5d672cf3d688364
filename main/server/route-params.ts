import type { Request } from "express";
import { normalizeHostname } from "../core/hostname.js";
import { normalizeProviderPart } from "../core/provider-address.js";
import type { ProviderCoordinates } from "../engine/provider-catalog.js";
import type { PullThroughClient } from "../engine/pull-through.js";

/**
 * Reads `:host/:namespace/:type` from a request in canonical form, or undefined when they are not a valid
 * provider address (answered 404: the address cannot exist here). Clients send lower case, but any case works.
 */
export function providerParams(req: Request): ProviderCoordinates | undefined {
  try {
    return {
      host: normalizeHostname(param(req, "host")),
      namespace: normalizeProviderPart(param(req, "namespace"), "namespace"),
      type: normalizeProviderPart(param(req, "type"), "type"),
    };
  } catch {
    return undefined;
  }
}

/** A named route parameter as a string ("" when absent; Express types wildcard params as arrays). */
export function param(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === "string" ? value : "";
}

/** The registry client behind a request (its address and User-Agent), for the audit log of a pull-through fetch. */
export function clientOf(req: Request): PullThroughClient {
  const peer = req.ip ?? req.socket.remoteAddress;
  const userAgent = req.get("user-agent");
  return { ...(peer === undefined ? {} : { peer }), ...(userAgent === undefined ? {} : { userAgent }) };
}
