import { Router } from "express";
import { identityProof, type AdminTokenFile } from "../../engine/admin-token.js";
import { APP_VERSION } from "../../engine/app-version.js";
import { sendJson } from "../send-json.js";

/** A challenge is 16 to 64 random bytes, hex. */
const NONCE = /^[0-9a-f]{32,128}$/;

/**
 * `GET /identify?nonce=HEX`: answers `{app: "larder", version, proof}` where proof is HMAC(admin token, nonce).
 * Open (no token): it lets the desktop app recognise a `larder serve` of its own data dir on a port it wanted,
 * without sending the token to whoever listens there.
 */
export function identifyRoutes(tokens: AdminTokenFile): Router {
  const router = Router();
  router.get("/identify", async (req, res) => {
    const nonce = typeof req.query.nonce === "string" ? req.query.nonce : "";
    if (!NONCE.test(nonce)) {
      sendJson(res, { errors: ["nonce: give 32 to 128 lowercase hex digits"] }, 400);
      return;
    }
    res.setHeader("Cache-Control", "no-store");
    sendJson(res, {
      app: "larder",
      version: APP_VERSION,
      proof: identityProof(await tokens.current(), nonce),
    });
  });
  return router;
}
