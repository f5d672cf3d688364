import { Router } from "express";
import { APP_VERSION } from "../../engine/app-version.js";
import type { AdminTokenFile } from "../../engine/admin-token.js";
import { adminCookieName } from "../middleware/admin-auth.js";
import { sendUiIndex } from "./ui.js";

/** Nothing on these pages loads from elsewhere or runs script. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `/`: the login link (`/?token=…`, printed by `larder serve`) sets the admin cookie and redirects to `/`, so the
 * token leaves the address bar and history; `/` itself is the UI, or, when the UI was not built, a small page
 * saying what Larder is and how to build it.
 */
export function homeRoutes(tokens: AdminTokenFile, uiDir: string | undefined): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const token = req.query.token;
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
    if (typeof token === "string") {
      if (!(await tokens.matches(token))) {
        res
          .status(401)
          .type("html")
          .send(
            page(
              "This login link is out of date",
              "<p>The admin token was rotated since the link was printed. Get a new link with <code>larder token --url</code>.</p>",
            ),
          );
        return;
      }
      res.cookie(adminCookieName(req), token, {
        httpOnly: true,
        sameSite: "strict",
        secure: req.secure,
        path: "/",
      });
      res.redirect(303, "/");
      return;
    }
    if (uiDir !== undefined) {
      sendUiIndex(res, uiDir);
      return;
    }
    res.type("html").send(
      page(
        "Larder",
        `<p>Larder ${APP_VERSION} is an offline mirror for Terraform and OpenTofu providers and modules. This server
        answers terraform and tofu on the registry protocols; point them at it with <code>larder terraformrc</code>.</p>
        <ul>
          <li><a href="/healthz">/healthz</a>: liveness</li>
          <li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
          <li><a href="/api/status">/api/status</a>: the admin API (needs the login link or a bearer token; see the README's "Admin API")</li>
        </ul>
        <p>The UI is not built in this copy of Larder: run <code>npm run build</code> in its folder and reload.
        Meanwhile the <code>larder</code> command and the admin API work.</p>`,
      ),
    );
  });
  return router;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 40rem; margin: 4rem auto; padding: 0 1.5rem; }
  code { font-size: 0.95em; }
</style></head>
<body><h1>${title}</h1>${body}</body></html>
`;
}
