/**
 * Typed errors. Every failure a person can see carries a code (for programs), an HTTP status (for the server's
 * one error middleware) and a message that says what went wrong and what to do about it.
 */
export type ErrorCode =
  | "invalid_input"
  | "not_found"
  | "upstream_unreachable"
  | "upstream_error"
  | "verification_failed"
  | "storage_failed"
  | "unsupported"
  | "conflict"
  | "interrupted"
  /** More bytes than there is room for (an upload larger than the free disk space). */
  | "too_large";

const statusByCode = {
  invalid_input: 400,
  not_found: 404,
  upstream_unreachable: 502,
  upstream_error: 502,
  verification_failed: 422,
  storage_failed: 500,
  unsupported: 400,
  conflict: 409,
  interrupted: 409,
  too_large: 413,
} as const satisfies Record<ErrorCode, number>;

/** An expected failure with a message meant for the person running Larder. */
export class LarderError extends Error {
  override readonly name = "LarderError";

  /** The input field a refusal is about (`path`, `files`), for a form to show the message beside it. */
  readonly field: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; field?: string },
  ) {
    super(message, options);
    this.field = options?.field;
  }

  /** The HTTP status the server answers with for this error. */
  get status(): number {
    return statusByCode[this.code];
  }
}

/** The message of any thrown value, for logs and one-line CLI errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `{ code }` of an expected error, `{}` otherwise: for events that carry the cause's kind beside its message. */
export function codeOf(error: unknown): { code?: ErrorCode } {
  return error instanceof LarderError ? { code: error.code } : {};
}
