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
}
