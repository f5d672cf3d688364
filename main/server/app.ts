import express, { type Express } from "express";
import type { Larder } from "../engine/larder.js";
import type { PullThrough } from "../engine/pull-through.js";
import type { AdminContext } from "./admin/admin-context.js";
import { createServerMetrics } from "./metrics.js";
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
}

/**
 * Builds the Express app: the protocols of architecture §4, open and read-only, then the admin API and the
 * pages at `/`, behind the DNS-rebinding guard (and, for the API, the token and the origin check).
 */
export function createApp(larder: Larder, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const metrics = createServerMetrics();
  const pullThrough = options.pullThrough ?? (() => undefined);
  app.use(metrics.middleware);
  app.use(serviceRoutes(metrics.registry));
  app.use(providersV1Routes(larder.catalog, metrics.countServed, pullThrough));
  app.use(networkMirrorRoutes(larder.catalog, metrics.countServed, pullThrough));
  app.use(modulesV1Routes(larder.moduleCatalog, metrics.countServed, pullThrough));
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
  return app;
}
