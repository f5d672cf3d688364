import type { ErrorRequestHandler, RequestHandler } from "express";
import { LarderError } from "../../core/errors.js";
import { InputError } from "../admin/validate.js";
import { sendJson } from "../send-json.js";

/** 404 in the registry protocols' error shape for anything no route answered. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendJson(res, { errors: [`Not found: ${req.method} ${req.path}`] }, 404);
};

/**
 * The one place errors become HTTP answers: typed LarderErrors keep their status and message, anything else is
 * logged and answered 500 without internals.
 */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof InputError) {
      sendJson(res, { errors: [error.message], fields: error.fields }, error.status);
      return;
    }
    if (error instanceof LarderError) {
      const fields =
        error.field === undefined ? {} : { fields: [{ path: error.field, message: error.message }] };
      sendJson(res, { errors: [error.message], ...fields }, error.status);
      return;
    }
    const status =
      typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
        ? error.status
        : 500;
    if (status >= 500)
      log(
        `${req.method} ${req.originalUrl} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    // Express's body parser: a body that is not JSON, or too large.
    const message =
      status >= 500
        ? "Internal error; see the Larder log."
        : status === 413
          ? "The request body is too large."
          : error instanceof SyntaxError
            ? "The request body is not valid JSON."
            : "Bad request.";
    sendJson(res, { errors: [message] }, status);
  };
}
