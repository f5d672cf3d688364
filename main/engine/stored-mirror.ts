import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { openDatabase } from "../db/connection.js";
import { ModuleRepository, type ModuleVersionRecord } from "../db/module-repository.js";
import { ProviderRepository, type ProviderVersionSummary } from "../db/provider-repository.js";

/** What is stored, read without the rest of the engine: for commands that only look (`list`, `terraformrc`). */
export interface StoredMirror {
  readonly dataDir: string;
  /** Every stored provider version, for `larder list`. */
  providerInventory(): ProviderVersionSummary[];
  moduleInventory(): ModuleVersionRecord[];
  /** Upstream hosts something is stored for. */
  storedHosts(): string[];
  close(): void;
}

/** The upstream hosts something is stored for, sorted. */
export function storedHostsOf(providers: ProviderRepository, modules: ModuleRepository): string[] {
  return [...new Set([...providers.hosts(), ...modules.all().map((module) => module.host)])].sort();
}

/**
 * Opens a data dir's database for reading what is stored: no registry clients, OpenPGP, job runner or blob sweep,
 * so a command that only looks starts in a fraction of the time the engine takes (issue 16's fast start).
 */
export async function openStoredMirror(dataDir: string): Promise<StoredMirror> {
  await mkdir(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, "larder.db"));
  const providers = new ProviderRepository(db);
  const modules = new ModuleRepository(db);
  return {
    dataDir,
    providerInventory: () => providers.summarize(),
    moduleInventory: () => modules.all(),
    storedHosts: () => storedHostsOf(providers, modules),
    close: () => {
      db.close();
    },
  };
}
