import type { RequestHandler } from "express";
import { Counter, Registry, collectDefaultMetrics } from "prom-client";
import { CounterTally } from "./counter-tally.js";

/** Prometheus metrics of one server: process figures plus requests by protocol area and status. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly middleware: RequestHandler;
  /** Counts one answered request by its path's area and its status (the fast path, which bypasses Express). */
  readonly countRequest: (path: string, status: number) => void;
  /** Counts one package download answer: served from the mirror, fetched through, or not available. */
  readonly countServed: ServedCounter;
}

/** How a package request was answered. */
export type ServeResult = "hit" | "miss" | "pull_through";

/** Records one package request's outcome. */
export type ServedCounter = (kind: "provider" | "module", result: ServeResult) => void;

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
  // Counted in plain numbers and added to the counters when they are collected (see counter-tally.ts).
  const requestTally = new CounterTally<string, number>();
  const servedTally = new CounterTally<"provider" | "module", ServeResult>();
  new Counter({
    name: "larder_http_requests_total",
    help: "HTTP requests served, by protocol area and status code.",
    labelNames: ["area", "status"] as const,
    registers: [registry],
    collect() {
      requestTally.drain((area, status, count) => {
        this.inc({ area, status: String(status) }, count);
      });
    },
  });
  const countRequest = (path: string, status: number): void => {
    requestTally.add(areaOf(path), status);
  };
  const middleware: RequestHandler = (req, res, next) => {
    res.on("finish", () => {
      countRequest(req.path, res.statusCode);
    });
    next();
  };
  new Counter({
    name: "larder_served_packages_total",
    help: "Provider and module download requests: hit (stored), pull_through (fetched on demand), miss (not available).",
    labelNames: ["kind", "result"] as const,
    registers: [registry],
    collect() {
      servedTally.drain((kind, result, count) => {
        this.inc({ kind, result }, count);
      });
    },
  });
  const countServed: ServedCounter = (kind, result) => {
    servedTally.add(kind, result);
  };
  return { registry, middleware, countRequest, countServed };
}
