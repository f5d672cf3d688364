import type { Server as HttpsServer } from "node:https";
import { errorMessage } from "../../core/errors.js";
import { ensureTlsMaterial, type TlsMaterial } from "./local-certificate-authority.js";
import type { TlsName } from "./tls-names.js";

/** How often a running server asks whether its leaf is due: renewal starts 30 days before expiry, so hourly is plenty. */
export const DEFAULT_LEAF_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** What keepLeafFresh needs besides the listener. */
export interface LeafRenewalOptions {
  readonly tlsDir: string;
  readonly names: readonly TlsName[];
  /** The clock (tests inject one that jumps ahead by weeks). */
  readonly now: () => Date;
  readonly checkEveryMs: number;
  readonly log: (message: string) => void;
  /** Told each time the listener starts presenting a new certificate. */
  readonly onRenewed: (material: TlsMaterial) => void;
}

/**
 * Keeps a long-running HTTPS listener's certificate valid: on every tick the TLS material is loaded again (which
 * renews the leaf once fewer than 30 days remain, or picks up one a `larder tls rotate` wrote), and a new one is
 * swapped in with setSecureContext. New handshakes get it; connections already open keep theirs and are never
 * dropped. A failure is logged and tried again at the next tick: the old leaf still has weeks to run.
 */
export function keepLeafFresh(
  server: HttpsServer,
  initial: TlsMaterial,
  options: LeafRenewalOptions,
): () => void {
  let current = initial;
  let running = false;
  const check = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const material = await ensureTlsMaterial(options.tlsDir, { now: options.now(), names: options.names });
      if (material.certPem !== current.certPem || material.keyPem !== current.keyPem) {
        server.setSecureContext({ cert: material.certPem, key: material.keyPem });
        current = material;
        options.onRenewed(material);
        options.log(
          `Renewed the HTTPS certificate; it is valid until ${material.leafNotAfter.toISOString()}.`,
        );
      }
    } catch (error) {
      options.log(`Could not renew the HTTPS certificate (will try again): ${errorMessage(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => {
    void check();
  }, options.checkEveryMs);
  // A timer must not keep a stopping process alive.
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
