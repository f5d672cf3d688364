/** One measured figure of a section: Larder's value beside the baseline's, and the target it is held to. */
export interface BenchRow {
  readonly section: string;
  readonly metric: string;
  /** Unit of `larder` and `baseline`, e.g. "req/s", "ms", "MB/s", "MB". */
  readonly unit: string;
  readonly larder: number | undefined;
  readonly baseline: number | undefined;
  /** What the baseline is, e.g. "sirv" or "tar -cf". */
  readonly baselineName: string;
  /** Human-readable target, e.g. "p99 < 5 ms"; "" when the row is informative only. */
  readonly target: string;
  /** undefined when the row has no target. */
  readonly met: boolean | undefined;
  /** Why a row has no figures (e.g. a skipped feature) or anything a reader must know about it. */
  readonly note?: string;
}

/** Larder's figure divided by the baseline's, or undefined when either is missing or the baseline is 0. */
export function ratioOf(row: Pick<BenchRow, "larder" | "baseline">): number | undefined {
  if (row.larder === undefined || row.baseline === undefined || row.baseline === 0) return undefined;
  return row.larder / row.baseline;
}

/** Formats a figure with precision that suits its magnitude ("-" when absent). */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "-";
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function metText(met: boolean | undefined): string {
  if (met === undefined) return "";
  return met ? "yes" : "NO";
}

/** Renders rows as a fixed-width text table (one header line, one separator, one line per row). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ["metric", "unit", "Larder", "baseline", "ratio", "target", "met", "note"];
  const body = rows.map((row) => {
    const ratio = ratioOf(row);
    return [
      row.metric,
      row.unit,
      formatNumber(row.larder),
      row.baseline === undefined ? "-" : `${formatNumber(row.baseline)} (${row.baselineName})`,
      ratio === undefined ? "-" : `${ratio.toFixed(2)}x`,
      row.target,
      metText(row.met),
      row.note ?? "",
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n");
}
