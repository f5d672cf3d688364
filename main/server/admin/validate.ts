import type { Response } from "express";
import type { z } from "zod";
import { LarderError } from "../../core/errors.js";
import { sendJson } from "../send-json.js";

/** Bad input with the field each problem is about, answered 400 `{errors, fields}` by the error handler. */
export class InputError extends LarderError {
  constructor(readonly fields: readonly { readonly path: string; readonly message: string }[]) {
    super(
      "invalid_input",
      fields
        .map((field) => (field.path === "" ? field.message : `${field.path}: ${field.message}`))
        .join("; "),
    );
  }
}

/** Parses a request body, query or parameter with its shared schema; a mismatch is an InputError. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].filter((part) => part !== "").join("."),
      message: issue.message,
    })),
  );
}

/**
 * Sends an answer after checking it against its shared schema, so the server can never send what the typed
 * client would reject; a mismatch is a bug and surfaces as a 500 with the log line.
 */
export function sendValid<S extends z.ZodType>(
  res: Response,
  schema: S,
  value: DeepReadonly<z.input<S>>,
  status = 200,
): void {
  sendJson(res, schema.parse(value), status);
}

/** The engine's read-only records fit the schemas' mutable types: nothing here modifies them. */
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
