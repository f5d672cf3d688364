import { LarderError } from "../core/errors.js";
import { assertTransition, type ItemState, type ItemStatus } from "../core/job-state.js";
import type { Db } from "./connection.js";
import {
  toItemRecord,
  toJobRecord,
  type ItemRow,
  type JobItemRecord,
  type JobKind,
  type JobRecord,
  type JobRow,
  type NewJobItem,
} from "./job-rows.js";

const now = (): string => new Date().toISOString();

/** All SQL about jobs and their items except control requests and leases (see JobControlRepository). */
export class JobRepository {
  constructor(private readonly db: Db) {}

  /** Stores a job and its planned items in one transaction. */
  create(kind: JobKind, what: string, requestJson: string, items: readonly NewJobItem[]): JobRecord {
    return this.db
      .transaction(() => {
        const at = now();
        const { lastInsertRowid } = this.db
          .prepare(
            "INSERT INTO jobs (kind, what, request_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
          )
          .run(kind, what, requestJson, at, at);
        const jobId = Number(lastInsertRowid);
        this.insertItems(jobId, items, at);
        return this.get(jobId);
      })
      .immediate();
  }

  /**
   * Adds items to a job (the providers a module item found it requires), skipping those the job already has with
   * the same kind and reference, so a retried module item does not queue its providers twice. Returns how many
   * were added.
   */
  addItems(jobId: number, items: readonly NewJobItem[]): number {
    return this.db
      .transaction(() => {
        const has = this.db.prepare<[number, string, string], { id: number }>(
          "SELECT id FROM job_items WHERE job_id = ? AND kind = ? AND ref_json = ?",
        );
        const fresh = items.filter((item) => has.get(jobId, item.kind, item.refJson) === undefined);
        const unique = [...new Map(fresh.map((item) => [`${item.kind} ${item.refJson}`, item])).values()];
        const at = now();
        this.insertItems(jobId, unique, at);
        if (unique.length > 0) this.db.prepare("UPDATE jobs SET updated_at = ? WHERE id = ?").run(at, jobId);
        return unique.length;
      })
      .immediate();
  }

  private insertItems(jobId: number, items: readonly NewJobItem[], at: string): void {
    const insert = this.db.prepare(
      `INSERT INTO job_items (job_id, kind, label, ref_json, host, state, reason, created_at, updated_at,
       finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const item of items) {
      const failed = item.failedReason !== undefined;
      insert.run(
        jobId,
        item.kind,
        item.label,
        item.refJson,
        item.host,
        failed ? "failed" : "queued",
        item.failedReason ?? null,
        at,
        at,
        failed ? at : null,
      );
    }
  }

  /** One job, or undefined. */
  find(jobId: number): JobRecord | undefined {
    const row = this.db.prepare<[number], JobRow>("SELECT * FROM jobs WHERE id = ?").get(jobId);
    return row && toJobRecord(row);
  }

  /** One job; a not_found error that says how to list them otherwise. */
  get(jobId: number): JobRecord {
    const job = this.find(jobId);
    if (!job) {
      throw new LarderError("not_found", `There is no job ${jobId}. List the jobs with: larder jobs`);
    }
    return job;
  }

  /** Every job, newest first. */
  list(): JobRecord[] {
    return this.db.prepare<[], JobRow>("SELECT * FROM jobs ORDER BY id DESC").all().map(toJobRecord);
  }

  /** A job's items in plan order. */
  items(jobId: number): JobItemRecord[] {
    return this.db
      .prepare<[number], ItemRow>("SELECT * FROM job_items WHERE job_id = ? ORDER BY id")
      .all(jobId)
      .map(toItemRecord);
  }

  /** Items changed at or after an ISO time (another process's progress and state changes, for the event stream). */
  itemsUpdatedSince(at: string): JobItemRecord[] {
    return this.db
      .prepare<[string], ItemRow>("SELECT * FROM job_items WHERE updated_at >= ? ORDER BY id")
      .all(at)
      .map(toItemRecord);
  }

  /** A job's items in one status, in plan order. */
  itemsIn(jobId: number, status: ItemStatus): JobItemRecord[] {
    return this.db
      .prepare<[number, string], ItemRow>(
        "SELECT * FROM job_items WHERE job_id = ? AND state = ? ORDER BY id",
      )
      .all(jobId, status)
      .map(toItemRecord);
  }

  /** One item of a job; not_found naming both otherwise. */
  item(jobId: number, itemId: number): JobItemRecord {
    const row = this.db
      .prepare<[number, number], ItemRow>("SELECT * FROM job_items WHERE id = ? AND job_id = ?")
      .get(itemId, jobId);
    if (!row) {
      throw new LarderError(
        "not_found",
        `Job ${jobId} has no item ${itemId}. See its items with: larder jobs show ${jobId}`,
      );
    }
    return toItemRecord(row);
  }

  /**
   * Moves an item to a new state; refuses an illegal move with a conflict error. With `expected`, does nothing
   * and returns false when the item is no longer in that status (someone else moved it first).
   */
  setItemState(itemId: number, next: ItemState, expected?: ItemStatus): boolean {
    return this.db
      .transaction(() => {
        const row = this.db.prepare<[number], ItemRow>("SELECT * FROM job_items WHERE id = ?").get(itemId);
        if (!row) throw new LarderError("not_found", `There is no job item ${itemId}.`);
        if (expected !== undefined && row.state !== expected) return false;
        assertTransition(`Item ${row.id} (${row.label})`, row.state, next.status);
        const at = now();
        const settled = next.status !== "queued" && next.status !== "running";
        this.db
          .prepare(
            `UPDATE job_items SET state = ?, reason = ?, interrupted = ?, requested = NULL, updated_at = ?,
             started_at = CASE WHEN ? THEN ? ELSE started_at END,
             finished_at = CASE WHEN ? THEN ? ELSE NULL END
           WHERE id = ?`,
          )
          .run(
            next.status,
            next.status === "failed" ? next.reason : null,
            next.status === "queued" && next.interrupted ? 1 : 0,
            at,
            next.status === "running" ? 1 : 0,
            at,
            settled ? 1 : 0,
            at,
            itemId,
          );
        this.touch(row.job_id, at);
        return true;
      })
      .immediate();
  }

  /** Records an item's byte progress. */
  updateProgress(itemId: number, bytesDone: number, bytesTotal: number | undefined): void {
    this.db
      .prepare("UPDATE job_items SET bytes_done = ?, bytes_total = ?, updated_at = ? WHERE id = ?")
      .run(bytesDone, bytesTotal ?? null, now(), itemId);
  }

  private touch(jobId: number, at: string): void {
    this.db.prepare("UPDATE jobs SET updated_at = ? WHERE id = ?").run(at, jobId);
  }
}
