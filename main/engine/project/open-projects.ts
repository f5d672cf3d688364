import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RegistryClient } from "../../core/clients.js";
import { openDatabase } from "../../db/connection.js";
import { AuditRepository } from "../../db/audit-repository.js";
import { ConfigCacheRepository } from "../../db/config-cache-repository.js";
import { IngestSessionRepository } from "../../db/ingest-session-repository.js";
import { ModuleRepository } from "../../db/module-repository.js";
import { ProviderRepository } from "../../db/provider-repository.js";
import { RemoteModuleRepository } from "../../db/remote-module-repository.js";
import { SettingsRepository } from "../../db/settings-repository.js";
import { BlobStore } from "../../store/blob-store.js";
import { AuditLog } from "../audit-log.js";
import { ConfigReader } from "../config-reader.js";
import { MirrorSettings } from "../mirror-settings.js";
import { Projects } from "./projects.js";
import { RemoteModules } from "./remote-modules.js";

/** The project use cases over a data dir, opened without the rest of the engine. */
export interface OpenedProjects {
  readonly projects: Projects;
  /** The `clients` setting: whose default hosts a host-less address stands for when a command names none. */
  readonly clients: readonly RegistryClient[];
  /** Where a command that changes nothing still records that it ran (a re-run of `mirror project`). */
  readonly audit: AuditLog;
  /** The data dir held no mirror before: everything is missing (or --data-dir names the wrong folder). */
  readonly isNew: boolean;
  close(): void;
}

/**
 * Opens what `larder check` and `larder lock` read — the database, the blob store, the config cache — and nothing
 * else: no registry clients, no OpenPGP, no job runner, no server code. They answer from what is stored, so they
 * start in a fraction of the time a mirror command takes (issue 16's fast start).
 */
export async function openProjects(dataDir: string): Promise<OpenedProjects> {
  const isNew = !(await stat(join(dataDir, "larder.db")).catch(() => undefined))?.isFile();
  await mkdir(dataDir, { recursive: true });
  const store = new BlobStore(dataDir);
  await store.open();
  const db = openDatabase(join(dataDir, "larder.db"));
  const configs = new ConfigReader(new ConfigCacheRepository(db));
  const remote = new RemoteModules({
    remoteModules: new RemoteModuleRepository(db),
    store,
    sessions: new IngestSessionRepository(db),
    configs,
  });
  const projects = new Projects({
    providers: new ProviderRepository(db),
    modules: new ModuleRepository(db),
    store,
    configs,
    remote,
  });
  return {
    audit: new AuditLog(new AuditRepository(db), (message) => {
      process.stderr.write(`warning: ${message}\n`);
    }),
    isNew,
    projects,
    clients: new MirrorSettings(new SettingsRepository(db)).get("clients"),
    close: () => {
      db.close();
    },
  };
}
