import { LarderError } from "../../main/core/errors.js";

/** Runs an action that must throw a LarderError and returns it, so tests can check code, status and message. */
export function errorOf(action: () => unknown): LarderError {
  try {
    action();
  } catch (error) {
    if (error instanceof LarderError) return error;
    throw error;
  }
  throw new Error("expected a LarderError, but nothing was thrown");
}
