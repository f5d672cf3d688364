import type { AdminTokenFile } from "../../engine/admin-token.js";
import type { BackgroundJobs } from "../../engine/background-jobs.js";
import type { Larder } from "../../engine/larder.js";
import type { TlsMaterial } from "../tls/local-certificate-authority.js";
import type { EventStream } from "./event-stream.js";

/** Where the server listens, known once its sockets are bound. */
export interface ListenerInfo {
  readonly httpUrl: string;
  readonly httpsUrl: string | undefined;
  readonly tls: TlsMaterial | undefined;
  readonly trustBundlePath: string | undefined;
}

/** What the admin routes work with: the engine, the token, the jobs this server runs, its event stream. */
export interface AdminContext {
  readonly larder: Larder;
  readonly tokens: AdminTokenFile;
  readonly jobs: BackgroundJobs;
  readonly events: EventStream;
  /** Undefined until the listeners are bound (the app is built before). */
  readonly listeners: () => ListenerInfo | undefined;
  /** Whether misses are fetched from upstream right now. */
  readonly pullThroughEnabled: () => boolean;
  /**
   * `larder serve --offline`: no upstream is contacted for anything, catalog look-ups and refreshes included.
   * Without the flag, pull-through off still lets a person's catalog search ask a registry.
   */
  readonly offline: boolean;
  /** The server's log (stderr of `larder serve`), for failures of work that no request waits for. */
  readonly log: (message: string) => void;
  /** Aborted when the server closes: work a request started in the background stops with it. */
  readonly shutdown: AbortSignal;
}
