import type { z } from "zod";
import { LarderError } from "../core/errors.js";
import { parseVersion } from "../core/version.js";

/**
 * Helpers that let the registry clients read answers the way terraform's and tofu's Go decoders do: a JSON
 * `null` leaves a field at its zero value (we treat it as absent), unknown members are ignored, and only the
 * fields a client really needs are required. Registries differ in exactly these details (registry.terraform.io
 * sends `"source_url": null`, registry.opentofu.org sends `"gpg_public_keys": null` or `"signing_keys": []`).
 */

/** Receives one human-readable message about something an upstream answer contained that was skipped. */
export type WarningSink = (message: string) => void;

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A copy of a parsed JSON value without object members whose value is null, at every depth. Null array
 * elements are kept, so that an entry which is null is still seen (and skipped) as an unreadable entry.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isJsonObject(value)) return value;
  // Object.fromEntries defines own properties, so a "__proto__" member cannot change the prototype.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== null)
      .map(([key, member]) => [key, dropNulls(member)]),
  );
}

/** The first problem of a failed decode as "path: message", with PREFIX in front of the path. */
export function describeIssue(error: z.ZodError, prefix = ""): string {
  const issue = error.issues[0];
  if (!issue) return "unexpected shape";
  const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
  return `${path || "(root)"}: ${issue.message}`;
}

/** Decodes JSON (nulls dropped first) or throws an upstream_error naming WHAT and the first bad field. */
export function decodeOrThrow<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(dropNulls(json));
  if (!result.success) {
    throw new LarderError(
      "upstream_error",
      `The registry sent a malformed answer for ${what} (${describeIssue(result.error)}).`,
    );
  }
  return result.data;
}

/**
 * Decodes each element of a list on its own: good ones are returned, each bad one is reported to WARN (with
 * its path under PREFIX) and skipped, so one broken entry does not hide every other version.
 */
export function decodeEach<T>(
  schema: z.ZodType<T>,
  entries: readonly unknown[],
  prefix: string,
  warn: (detail: string) => void,
): T[] {
  const decoded: T[] = [];
  entries.forEach((entry, index) => {
    const result = schema.safeParse(dropNulls(entry));
    if (result.success) decoded.push(result.data);
    else warn(describeIssue(result.error, `${prefix}.${index}`));
  });
  return decoded;
}

/** The string elements of an optional list (terraform only compares protocol strings; others are noise). */
export function stringsOf(list: readonly unknown[] | undefined): string[] {
  return (list ?? []).filter((item): item is string => typeof item === "string");
}

/** Refinement message shared by both clients: a version the rest of Larder could not order is unusable. */
export const notSemver = "not a valid semantic version";

/** True when TEXT is a strict semantic version. */
export function isSemver(text: string): boolean {
  return parseVersion(text) !== undefined;
}
