import { statfs } from "node:fs/promises";
import { Router } from "express";
import { statusSchema, type Status } from "../../../../shared/api/index.js";
import { APP_VERSION } from "../../../engine/app-version.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { sendValid } from "../../admin/validate.js";

/** `GET /api/status`: what this Larder is, where it listens and serves from, and how much it holds. */
export function statusRoutes(context: AdminContext): Router {
  const router = Router();
  router.get("/api/status", async (_req, res) => {
    sendValid(res, statusSchema, await statusOf(context));
  });
  return router;
}

async function statusOf(context: AdminContext): Promise<Status> {
  const { larder } = context;
  const listeners = context.listeners();
  const providers = larder.providerInventory();
  const modules = larder.moduleInventory();
  const key = (...parts: readonly string[]): string => parts.join("/");
  const free = await statfs(larder.dataDir).then(
    (info) => info.bavail * info.bsize,
    () => null,
  );
  return {
    version: APP_VERSION,
    dataDir: larder.dataDir,
    listeners: { http: listeners?.httpUrl ?? "", https: listeners?.httpsUrl ?? null },
    mode: context.pullThroughEnabled() ? "pull-through" : "offline",
    clients: [...larder.settings.get("clients")],
    counts: {
      providers: new Set(providers.map((p) => key(p.host, p.namespace, p.type))).size,
      providerVersions: providers.length,
      providerPackages: providers.reduce((sum, version) => sum + version.platforms.length, 0),
      modules: new Set(modules.map((m) => key(m.host, m.namespace, m.name, m.system))).size,
      moduleVersions: modules.length,
      activeJobs: larder.jobs
        .list()
        .filter((job) => job.state.status === "running" || job.state.status === "queued").length,
    },
    disk: {
      storedBytes: larder.diskUsage().totalBytes,
      freeBytes: free,
    },
  };
}
