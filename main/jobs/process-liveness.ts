import { hostname } from "node:os";

/** Whether a process with this id exists on this machine (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

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
