import express, { type Express } from "express";
import type { Larder } from "../engine/larder.js";
import type { PullThrough } from "../engine/pull-through.js";
import { createServerMetrics } from "./metrics.js";
import { errorHandler, notFoundHandler } from "./middleware/error-handler.js";
import { filesRoutes } from "./routes/files.js";
import { modulesV1Routes } from "./routes/modules-v1.js";
import { networkMirrorRoutes } from "./routes/network-mirror.js";
import { providersV1Routes } from "./routes/providers-v1.js";
import { serviceRoutes } from "./routes/service-routes.js";

/** Options of the HTTP application. */
export interface AppOptions {
  readonly log?: (message: string) => void;
  /** Set for `larder serve --pull-through`: misses are fetched from upstream. */
  readonly pullThrough?: PullThrough;
}

/** Builds the Express app that serves every protocol of architecture §4 from one engine. */
export function createApp(larder: Larder, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const metrics = createServerMetrics();
  app.use(metrics.middleware);
  app.use(serviceRoutes(metrics.registry));
  app.use(providersV1Routes(larder.catalog, metrics.countServed, options.pullThrough));
  app.use(networkMirrorRoutes(larder.catalog, metrics.countServed, options.pullThrough));
  app.use(modulesV1Routes(larder.moduleCatalog, metrics.countServed, options.pullThrough));
  app.use(filesRoutes(larder.catalog, larder.moduleCatalog, larder.store));
  app.use(notFoundHandler);
  app.use(
    errorHandler(
      options.log ??
        ((message) => {
          console.error(message);
        }),
    ),
  );
  return app;
}
