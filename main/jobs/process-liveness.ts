import { hostname } from "node:os";
import { isProcessAlive } from "../store/process-alive.js";

/** This process as a lease owner. */
export function currentOwner(): { readonly pid: number; readonly host: string } {
  return { pid: process.pid, host: hostname() };
}

/**
 * Whether a lease is held by a live process: on this machine its pid must exist and its heartbeat be fresh; on
 * another machine sharing the data directory only the heartbeat can tell.
 */
export function leaseIsLive(
  lease: { readonly pid: number; readonly host: string; readonly heartbeatAt: number },
  staleAfterMs: number,
  now: number = Date.now(),
): boolean {
  if (now - lease.heartbeatAt > staleAfterMs) return false;
  return lease.host !== hostname() || isProcessAlive(lease.pid);
}
