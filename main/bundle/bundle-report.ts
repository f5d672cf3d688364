import type { BundleEntry } from "./bundle-manifest.js";
import type { BundleSignatureCheck } from "./bundle-signature.js";

/** The outcome of the checks on one manifest entry. */
export type EntryResult =
  | {
      readonly status: "ok";
      readonly path: string;
      readonly kind: BundleEntry["kind"];
      readonly checks: readonly string[];
    }
  | {
      readonly status: "failed";
      readonly path: string;
      readonly kind: BundleEntry["kind"];
      readonly reasons: readonly string[];
    };

/** Whether the bundle's SHA256SUMS covers the manifest and exactly the manifest's files. */
export type SumsResult =
  { readonly status: "ok" } | { readonly status: "failed"; readonly reasons: readonly string[] };

/** Everything `larder bundle verify` found. */
export interface BundleReport {
  readonly bundleId: string;
  readonly createdAt: string;
  readonly larderVersion: string;
  readonly parentId: string | null;
  readonly ok: boolean;
  readonly sums: SumsResult;
  readonly signature: BundleSignatureCheck;
  readonly entries: readonly EntryResult[];
}

/** The first failure of a report, as one line naming the entry and the check; undefined when all passed. */
export function firstFailure(report: BundleReport): string | undefined {
  if (report.sums.status === "failed") return `SHA256SUMS: ${report.sums.reasons[0] ?? "failed"}`;
  if (report.signature.status === "failed") return `signature: ${report.signature.reason}`;
  for (const entry of report.entries) {
    if (entry.status === "failed") return `${entry.path}: ${entry.reasons[0] ?? "failed"}`;
  }
  return undefined;
}

/** How the bundle signature reads in the report. */
export function describeSignature(check: BundleSignatureCheck): string {
  switch (check.status) {
    case "unsigned":
      return "unsigned";
    case "signed-unchecked":
      return `signed by ${check.keyId} (not checked against a trusted key)`;
    case "trusted":
      return `signed by ${check.keyId} (verified with the trusted key)`;
    case "failed":
      return `FAILED: ${check.reason}`;
  }
}

/** The per-entry report as text lines, for the terminal. */
export function formatReport(report: BundleReport): string {
  const lines = [
    `Bundle ${report.bundleId} (created ${report.createdAt} by Larder ${report.larderVersion}${report.parentId ? `, incremental on ${report.parentId}` : ""})`,
  ];
  for (const entry of report.entries) {
    lines.push(
      entry.status === "ok"
        ? `ok      ${entry.path} (${entry.checks.join(", ")})`
        : `FAILED  ${entry.path}: ${entry.reasons.join("; ")}`,
    );
  }
  lines.push(
    report.sums.status === "ok"
      ? "ok      SHA256SUMS covers every file"
      : `FAILED  SHA256SUMS: ${report.sums.reasons.join("; ")}`,
  );
  lines.push(
    `${report.signature.status === "failed" ? "FAILED " : "ok     "} signature: ${describeSignature(report.signature)}`,
  );
  const failed = report.entries.filter((entry) => entry.status === "failed").length;
  lines.push(
    report.ok
      ? `Verified: ${report.entries.length} entries, all checks passed.`
      : `NOT verified: ${failed} of ${report.entries.length} entries failed${report.sums.status === "failed" || report.signature.status === "failed" ? ", bundle checks failed" : ""}.`,
  );
  return `${lines.join("\n")}\n`;
}
