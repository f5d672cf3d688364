import { isAuditActorKind, type AuditActorKind, type AuditOutcome } from "../core/audit.js";
import { errorMessage, LarderError } from "../core/errors.js";
import type { AuditRecord, AuditRepository } from "../db/audit-repository.js";

/**
 * Who asked for a change: the CLI (peer = the OS user), the desktop UI, the admin API (peer = the client's
 * address), or pull-through acting for a registry client (its address and User-Agent).
 */
export interface AuditActor {
  readonly kind: AuditActorKind;
  readonly peer?: string;
  readonly userAgent?: string;
}

/** One recorded action, newest first in a page; `peer`, `userAgent` and `detail` are null when absent. */
export type AuditEntry = AuditRecord;

/** A page request: at most `limit` (1–1000) entries older than the id `before`, optionally of one actor/action. */
export interface AuditPageQuery {
  readonly limit: number;
  readonly before?: number;
  readonly actor?: AuditActorKind;
  readonly action?: string;
}

/** One page newest first; `nextBefore` is the `before` for the next (older) page, null on the last one. */
export interface AuditPage {
  readonly entries: AuditEntry[];
  readonly nextBefore: number | null;
}

/**
 * The actions recorded, as short dotted verbs (a new state-changing entry point adds its own here):
 *
 * - `mirror.provider`, `mirror.module` — a mirror job created and run (target: address and versions)
 * - `mirror.project` — `larder mirror project`, or Mirror on a saved project (target: the project directories)
 * - `project.add`, `project.update`, `project.remove` — a project remembered by the UI (target: its path)
 * - `job.pause`, `job.resume`, `job.cancel`, `job.retry` — job control (target: `job 12` or `item 3 of job 12`)
 * - `config.set`, `config.unset` — a setting changed, by `larder config` or the admin API (target: the key)
 * - `bundle.export`, `bundle.import` — an air-gap bundle written or read in (target: the bundle file)
 * - `pull-through.provider`, `pull-through.module` — a client's miss fetched from upstream (target: the package)
 * - `inventory.delete`, `gc` — stored content deleted, unreferenced blobs removed
 * - `upstream.set`, `upstream.remove` — a registry's URL or token changed (`larder upstream`, the admin API)
 * - `token.rotate` — the admin token replaced
 * - `tls.rotate` — the local CA replaced by a new, name-constrained one
 */
export const AUDIT_ACTIONS = [
  "mirror.provider",
  "mirror.module",
  "mirror.project",
  "project.add",
  "project.update",
  "project.remove",
  "job.pause",
  "job.resume",
  "job.cancel",
  "job.retry",
  "config.set",
  "config.unset",
  "bundle.export",
  "bundle.import",
  "pull-through.provider",
  "pull-through.module",
  "inventory.delete",
  "gc",
  "upstream.set",
  "upstream.remove",
  "token.rotate",
  "tls.rotate",
  "catalog.refresh",
] as const;

export const MAX_AUDIT_PAGE = 1000;

/** Long failure messages are cut: the log is for seeing what happened, the job or the caller has the rest. */
const MAX_DETAIL = 2000;

/**
 * The audit log as callers use it: record an outcome, or run a change and record how it ended. Writing the log
 * never makes the change fail: a row that cannot be written (a full disk, a locked database) is reported through
 * `warn` and dropped, since refusing or undoing a mirror because its log line failed would help no one.
 */
export class AuditLog {
  constructor(
    private readonly repository: AuditRepository,
    private readonly warn: (message: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records one outcome; never throws. */
  record(actor: AuditActor, action: string, target: string, outcome: AuditOutcome, detail?: string): void {
    try {
      this.repository.insert({
        at: this.now().toISOString(),
        actor: actor.kind,
        peer: actor.peer ?? null,
        userAgent: actor.userAgent ?? null,
        action,
        target,
        outcome,
        detail: detail === undefined ? null : detail.slice(0, MAX_DETAIL),
      });
    } catch (error) {
      this.warn(`Could not write the audit log entry for ${action} ${target}: ${errorMessage(error)}`);
    }
  }

  /**
   * Runs `work` and records its outcome: ok with `summarize(result)` as detail, or failed with the error's message,
   * which is then rethrown unchanged. The caller sees exactly what `work` did.
   */
  async audited<T>(
    actor: AuditActor,
    action: string,
    target: string,
    work: () => Promise<T> | T,
    summarize?: (result: T) => string,
  ): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      this.record(actor, action, target, "failed", errorMessage(error));
      throw error;
    }
    let summary: string | undefined;
    try {
      summary = summarize?.(result);
    } catch (error) {
      // A summary is decoration: the change happened, so it is recorded as ok either way.
      summary = `(no summary: ${errorMessage(error)})`;
    }
    this.record(actor, action, target, "ok", summary);
    return result;
  }

  /** One page, newest first. Invalid paging is refused as `invalid_input` (a 400 from the API). */
  page(query: AuditPageQuery): AuditPage {
    const { limit, before, actor } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE)
      throw new LarderError(
        "invalid_input",
        `Invalid limit ${limit}: use a whole number from 1 to ${MAX_AUDIT_PAGE}.`,
      );
    if (before !== undefined && (!Number.isSafeInteger(before) || before < 1))
      throw new LarderError(
        "invalid_input",
        `Invalid before ${before}: use an entry id (a whole number from 1).`,
      );
    if (actor !== undefined && !isAuditActorKind(actor))
      throw new LarderError(
        "invalid_input",
        `Invalid actor "${String(actor)}": use cli, ui, api or pull-through.`,
      );
    const { records, more } = this.repository.page(query);
    return { entries: records, nextBefore: more ? (records.at(-1)?.id ?? null) : null };
  }
}
