import express, { Router, type RequestHandler, type Response } from "express";
import { join } from "node:path";
import { UI_ROOTS } from "../../../shared/ui-paths.js";

/**
 * The UI's Content-Security-Policy: its own scripts and styles only, API and events on the same origin, never
 * framed. Inline styles stay allowed for the style attributes the component libraries set.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Sends the UI's index.html for one of its pages: never cached, so a new build is picked up at once. */
export function sendUiIndex(res: Response, uiDir: string): void {
  res.setHeader("Content-Security-Policy", UI_CSP);
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.sendFile(join(uiDir, "index.html"));
}

/**
 * The built UI: hashed assets cached for a year, the page routes answered with index.html; all behind `guard`
 * (the DNS-rebinding Host check), as the admin API is.
 */
export function uiRoutes(uiDir: string, guard: RequestHandler): Router {
  const router = Router();
  router.use(
    "/assets",
    guard,
    express.static(join(uiDir, "assets"), {
      immutable: true,
      maxAge: "365d",
      index: false,
      fallthrough: false,
    }),
  );
  router.get("/theme-boot.js", guard, (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(join(uiDir, "theme-boot.js"));
  });
  for (const root of UI_ROOTS) {
    router.get([`/${root}`, `/${root}/*rest`], guard, (_req, res) => {
      sendUiIndex(res, uiDir);
    });
  }
  return router;
}
