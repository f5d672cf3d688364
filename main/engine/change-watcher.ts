import { deriveJobState, type ItemStatus, type JobStatus } from "../core/job-state.js";
import type { ChangeProbe } from "../db/change-probe.js";
import type { JobRepository } from "../db/job-repository.js";
import type { LarderEventBus } from "./larder-events.js";

/**
 * Publishes on this engine's bus what other processes change in the shared data directory — a `larder mirror`
 * in a terminal, a `larder config set`, a delete — so a window on `larder serve` shows it live. Jobs this process
 * runs publish their own events and are skipped here.
 */
export class ChangeWatcher {
  private version: number;
  private since = new Date().toISOString();
  private inventory: string;
  private settings: Map<string, string>;
  private readonly items = new Map<number, { status: ItemStatus; bytes: number; at: number }>();
  private readonly jobStates = new Map<number, JobStatus>();

  constructor(
    private readonly probe: ChangeProbe,
    private readonly jobs: JobRepository,
    private readonly bus: LarderEventBus,
  ) {
    this.version = probe.dataVersion();
    this.inventory = probe.inventoryFingerprint();
    this.settings = probe.settingsStamps();
  }

  /** Looks once; cheap when nothing changed (one pragma). */
  poll(): void {
    const version = this.probe.dataVersion();
    if (version === this.version) return;
    this.version = version;
    this.pollJobs();
    const inventory = this.probe.inventoryFingerprint();
    if (inventory !== this.inventory) {
      this.inventory = inventory;
      this.bus.publish({ kind: "inventory-changed" });
    }
    const settings = this.probe.settingsStamps();
    const keys = [...new Set([...settings.keys(), ...this.settings.keys()])].filter(
      (key) => settings.get(key) !== this.settings.get(key),
    );
    this.settings = settings;
    if (keys.length > 0) this.bus.publish({ kind: "settings-changed", keys: keys.sort() });
  }

  private pollJobs(): void {
    const started = new Date(Date.now() - 1000).toISOString();
    const changed = this.jobs.itemsUpdatedSince(this.since);
    this.since = started;
    const jobIds = new Set<number>();
    for (const item of changed) {
      const job = this.jobs.find(item.jobId);
      if (job?.lease?.pid === process.pid) continue;
      const known = this.items.get(item.id);
      const now = Date.now();
      if (known?.status !== item.state.status) {
        this.bus.publish({
          kind: "job-item",
          job: item.jobId,
          itemId: item.id,
          item: item.label,
          state: item.state,
        });
        jobIds.add(item.jobId);
      } else if (item.state.status === "running" && item.bytesDone !== known.bytes) {
        const seconds = (now - known.at) / 1000;
        const rate = seconds > 0 ? Math.max(0, (item.bytesDone - known.bytes) / seconds) : 0;
        this.bus.publish({
          kind: "progress",
          run: 0,
          job: item.jobId,
          itemId: item.id,
          item: item.label,
          bytesDone: item.bytesDone,
          bytesTotal: item.bytesTotal,
          bytesPerSecond: rate,
          etaSeconds:
            rate > 0 && item.bytesTotal !== undefined ? (item.bytesTotal - item.bytesDone) / rate : undefined,
        });
      }
      this.items.set(item.id, { status: item.state.status, bytes: item.bytesDone, at: now });
    }
    for (const jobId of jobIds) {
      const state = deriveJobState(this.jobs.items(jobId).map((item) => item.state));
      if (this.jobStates.get(jobId) === state.status) continue;
      this.jobStates.set(jobId, state.status);
      this.bus.publish({ kind: "job", job: jobId, state });
    }
  }
}
