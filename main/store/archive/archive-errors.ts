import { errorMessage, LarderError } from "../../core/errors.js";

/** An entry Larder will not extract, named with the reason, so the upstream's maintainer can act on it. */
export function refusedEntry(context: string, name: string, reason: string): LarderError {
  return new LarderError(
    "verification_failed",
    `${context}: the archive was refused: entry ${JSON.stringify(name)} ${reason}.`,
  );
}

/** An archive that is larger than the limits allow, in entries or in uncompressed bytes. */
export function tooLarge(context: string, reason: string): LarderError {
  return new LarderError("verification_failed", `${context}: the archive was refused: ${reason}.`);
}

/** A decoder failure (gzip, tar or zip): the bytes are damaged or the download was cut short. */
export class CorruptArchiveError extends LarderError {
  constructor(context: string, cause: unknown) {
    const message = `${context}: the archive is corrupt or truncated (${errorMessage(cause)}).`;
    super("verification_failed", message, { cause });
  }
}

/** Passes LarderErrors through and turns anything a decoder threw into the corrupt-archive error. */
export function asArchiveError(context: string, error: unknown): LarderError {
  return error instanceof LarderError ? error : new CorruptArchiveError(context, error);
}

/** Passes LarderErrors through and reports anything else as a failure to write the entry on this machine. */
export function asStorageError(context: string, name: string, error: unknown): LarderError {
  if (error instanceof LarderError) return error;
  return new LarderError(
    "storage_failed",
    `${context}: could not extract entry ${JSON.stringify(name)}: ${errorMessage(error)}`,
    { cause: error },
  );
}
