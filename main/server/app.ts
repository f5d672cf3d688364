import type { RequestListener } from "node:http";
import express from "express";
import type { Larder } from "../engine/larder.js";
import type { PullThrough } from "../engine/pull-through.js";
import type { AdminContext } from "./admin/admin-context.js";
import { createServerMetrics } from "./metrics.js";
import { MissExplanation } from "./miss-explanation.js";
import { AnswerCache } from "./protocol-cache/answer-cache.js";
import { createProtocolFastPath } from "./protocol-cache/fast-path.js";
import type { ProtocolContext } from "./protocol-cache/protocol-context.js";
import { errorHandler, notFoundHandler } from "./middleware/error-handler.js";
import { hostGuard } from "./middleware/host-guard.js";
import { adminRoutes } from "./routes/admin/index.js";
import { filesRoutes } from "./routes/files.js";
import { homeRoutes } from "./routes/home.js";
import { uiRoutes } from "./routes/ui.js";
import { findUiDir } from "./ui-files.js";
import { modulesV1Routes } from "./routes/modules-v1.js";
import { networkMirrorRoutes } from "./routes/network-mirror.js";
import { providersV1Routes } from "./routes/providers-v1.js";
import { identifyRoutes } from "./routes/identify.js";
import { serviceRoutes } from "./routes/service-routes.js";

/** Options of the HTTP application. */
export interface AppOptions {
  readonly log?: (message: string) => void;
  /** The pull-through service while misses are fetched from upstream; undefined while offline. */
  readonly pullThrough?: () => PullThrough | undefined;
  /** The admin API and the pages at `/`; without it only the protocols are served. */
  readonly admin?: AdminContext;
  /** Host names besides loopback the admin API and UI answer to (`--public-name`). */
  readonly publicNames?: readonly string[];
  /** Tell terraform/tofu what to run for a miss (default true); false answers a bare 404 (`--plain-misses`). */
  readonly explainMisses?: boolean;
  /** Bound on the bytes of cached metadata answers (default DEFAULT_ANSWER_CACHE_BYTES). */
  readonly answerCacheBytes?: number;
}

/** The request handler of both listeners, with the answer cache it serves from (tests and the bench read it). */
export interface LarderApp {
  readonly handle: RequestListener;
  readonly answers: AnswerCache;
}

/**
 * Builds the request handler: cached protocol answers straight from memory (the fast path), else the Express
 * app: the protocols of architecture §4, open and read-only, then the admin API and the pages at `/`, behind the
 * DNS-rebinding guard (and, for the API, the token and the origin check).
 */
export function createApp(larder: Larder, options: AppOptions = {}): LarderApp {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const metrics = createServerMetrics();
  const pullThrough = options.pullThrough ?? (() => undefined);
  const answers = new AnswerCache(() => larder.mirrorGeneration(), options.answerCacheBytes);
  const protocol: ProtocolContext = {
    cache: answers,
    countServed: metrics.countServed,
    pullThrough,
    misses: new MissExplanation(larder.dataDir, options.explainMisses ?? true),
  };
  app.use(metrics.middleware);
  app.use(serviceRoutes(metrics.registry));
  app.use(providersV1Routes(larder.catalog, protocol));
  app.use(networkMirrorRoutes(larder.catalog, protocol));
  app.use(modulesV1Routes(larder.moduleCatalog, protocol));
  app.use(filesRoutes(larder.catalog, larder.moduleCatalog, larder.store));
  if (options.admin) {
    const guard = hostGuard(options.publicNames ?? []);
    app.use("/api", guard);
    app.get("/", guard);
    app.use(identifyRoutes(options.admin.tokens));
    app.use(adminRoutes(options.admin));
    const uiDir = findUiDir();
    app.use(homeRoutes(options.admin.tokens, uiDir));
    if (uiDir !== undefined) {
      app.use(uiRoutes(uiDir, guard));
    }
  }
  app.use(notFoundHandler);
  app.use(
    errorHandler(
      options.log ??
        ((message) => {
          console.error(message);
        }),
    ),
  );
  const handle = createProtocolFastPath(
    answers,
    metrics,
    () => pullThrough() !== undefined,
    (req, res) => {
      app(req, res);
    },
  );
  return { handle, answers };
}
