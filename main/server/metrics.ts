import type { RequestHandler } from "express";
import { Counter, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics of one server: process figures plus requests by protocol area and status. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly middleware: RequestHandler;
}

/** The protocol area of a path, a bounded label set (never the raw path, which would explode cardinality). */
function areaOf(path: string): string {
  if (path.startsWith("/v1/providers/")) return "providers.v1";
  if (path.startsWith("/v1/modules/")) return "modules.v1";
  if (path.startsWith("/providers/")) return "network-mirror";
  if (path.startsWith("/files/")) return "files";
  if (path.startsWith("/api/")) return "api";
  return "other";
}

/** Creates a metrics registry and the middleware that counts requests. */
export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "larder_" });
  const requests = new Counter({
    name: "larder_http_requests_total",
    help: "HTTP requests served, by protocol area and status code.",
    labelNames: ["area", "status"] as const,
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    res.on("finish", () => {
      requests.inc({ area: areaOf(req.path), status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}
