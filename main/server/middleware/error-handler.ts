import type { ErrorRequestHandler, RequestHandler } from "express";
import { LarderError } from "../../core/errors.js";
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
    if (error instanceof LarderError) {
      sendJson(res, { errors: [error.message] }, error.status);
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
    sendJson(
      res,
      { errors: [status >= 500 ? "Internal error; see the Larder log." : "Bad request."] },
      status,
    );
  };
}
