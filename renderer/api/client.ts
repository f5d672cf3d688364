import { AdminApiError, AdminClient } from "../../shared/api-client.js";

/**
 * The one admin API client of the UI. Same origin, so the browser sends the login cookie (a browser tab), or the
 * token the Electron preload hands over. No other module calls `fetch`.
 */
export const api = new AdminClient({ baseUrl: "" });

export { AdminApiError };

/** A message a person can act on, from whatever a call threw. */
export function messageOf(error: unknown): string {
  if (error instanceof AdminApiError) {
    if (error.fields.length > 0) return error.fields.map((field) => field.message).join(" ");
    return error.message;
  }
  if (error instanceof TypeError)
    return "Larder is not reachable. Is larder serve (or the app) still running?";
  return error instanceof Error ? error.message : String(error);
}

/** Whether the call failed because this tab is not signed in (no cookie, or a rotated token). */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof AdminApiError && error.status === 401;
}
