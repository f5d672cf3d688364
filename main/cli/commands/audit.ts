import type { Command } from "commander";
import { AUDIT_ACTOR_KINDS, isAuditActorKind } from "../../core/audit.js";
import { LarderError } from "../../core/errors.js";
import type { AuditEntry } from "../../engine/audit-log.js";
import { openLarderFor } from "../cli-context.js";
import { table } from "../table.js";

interface AuditOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly limit: string;
  readonly before?: string;
  readonly actor?: string;
  readonly action?: string;
}

/** `larder audit`: who changed the mirror, newest first, one page at a time. */
export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("Show the audit log: every change by the CLI, the admin API and pull-through, newest first")
    .option("--json", "print { entries, nextBefore } as JSON instead of a table")
    .option("--limit <n>", "entries per page, 1 to 1000", "50")
    .option("--before <id>", "only entries older than this id (the next page; see the hint below the table)")
    .option("--actor <kind>", `only this actor: ${AUDIT_ACTOR_KINDS.join(", ")}`)
    .option("--action <action>", "only this action, e.g. mirror.provider or config.set")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: AuditOptions) => {
      const { actor } = options;
      if (actor !== undefined && !isAuditActorKind(actor))
        throw new LarderError(
          "invalid_input",
          `Invalid --actor "${actor}": use one of ${AUDIT_ACTOR_KINDS.join(", ")}.`,
        );
      const query = {
        limit: wholeNumber("--limit", options.limit),
        ...(options.before === undefined ? {} : { before: wholeNumber("--before", options.before) }),
        ...(actor === undefined ? {} : { actor }),
        ...(options.action === undefined ? {} : { action: options.action }),
      };
      const larder = await openLarderFor(options);
      try {
        const page = larder.audit.page(query);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
          return;
        }
        if (page.entries.length === 0) {
          process.stdout.write("No audit log entries match.\n");
          return;
        }
        process.stdout.write(
          table(["ID", "TIME", "ACTOR", "ACTION", "TARGET", "OUTCOME", "DETAIL"], page.entries.map(row)),
        );
        if (page.nextBefore !== null)
          process.stdout.write(`More: larder audit --before ${page.nextBefore}\n`);
      } finally {
        larder.close();
      }
    });
}

/** One table row; the actor with its peer (`cli (alice)`, `pull-through (10.0.0.5)`). */
function row(entry: AuditEntry): string[] {
  return [
    String(entry.id),
    entry.at,
    entry.peer === null ? entry.actor : `${entry.actor} (${entry.peer})`,
    entry.action,
    entry.target,
    entry.outcome,
    // One line per entry: a multi-line error would break the columns.
    (entry.detail ?? "").replace(/\s+/g, " "),
  ];
}

/** A positive whole number from a flag; the engine checks the range and says so in its own words. */
function wholeNumber(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw))
    throw new LarderError("invalid_input", `Invalid ${flag} "${raw}": use a whole number.`);
  return Number(raw);
}
