import type { Session, WebContents } from "electron";

/** What happens to a URL the window is asked to go to or open. */
export type NavigationDecision = "allow" | "external" | "deny";

/**
 * The window shows only the app's own origin. A link elsewhere (a module's source repository, a registry page)
 * opens in the system browser; any other scheme (file:, javascript:, custom protocols) goes nowhere.
 */
export function decideNavigation(url: string, appOrigin: string): NavigationDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "deny";
  }
  if (parsed.origin === appOrigin) return "allow";
  if (parsed.protocol === "https:" || parsed.protocol === "http:" || parsed.protocol === "mailto:")
    return "external";
  return "deny";
}

/**
 * Which requests the window's session may make: its own origin, plus what Chromium loads for itself (devtools,
 * data: and blob: URLs the page made). No remote content, ever.
 */
export function requestAllowed(url: string, appOrigin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (["devtools:", "data:", "blob:"].includes(parsed.protocol)) return true;
  return parsed.origin === appOrigin;
}

/**
 * The one permission the window may have: writing sanitized text to the clipboard (the UI's Copy buttons, which
 * Chromium checks before `navigator.clipboard.writeText`), and only for the app's own origin. Everything else —
 * camera, notifications, geolocation, reading the clipboard — is denied.
 */
export function permissionGranted(permission: string, requestingUrl: string, appOrigin: string): boolean {
  if (permission !== "clipboard-sanitized-write") return false;
  try {
    return new URL(requestingUrl).origin === appOrigin;
  } catch {
    return false;
  }
}

/** The Content-Security-Policy the window enforces on any response that comes without one. */
export const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Adds FALLBACK_CSP to response headers that lack a CSP (the server sets its own on every UI page). */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result = { ...(headers ?? {}) };
  const present = Object.keys(result).some((name) => name.toLowerCase() === "content-security-policy");
  if (!present) result["Content-Security-Policy"] = [FALLBACK_CSP];
  return result;
}

/**
 * Installs the Electron security checklist's guards on the window: navigation and new windows limited to the
 * app's origin (others to the system browser or nowhere), no webviews, every permission denied but clipboard
 * writes by the app itself, no
 * request to another origin, and a CSP on every response. `appOrigin` is read on each check, because the
 * server's port is only known once it listens (and changes if the user picks other ports).
 */
export function installWindowGuards(
  contents: WebContents,
  session: Session,
  appOrigin: () => string,
  openExternal: (url: string) => void,
): void {
  const guardNavigation = (event: { preventDefault(): void }, url: string): void => {
    const decision = decideNavigation(url, appOrigin());
    if (decision === "allow") return;
    event.preventDefault();
    if (decision === "external") openExternal(url);
  };
  contents.on("will-navigate", (event, url) => {
    guardNavigation(event, url);
  });
  contents.on("will-redirect", (event, url) => {
    guardNavigation(event, url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Even the app's own origin gets no second window: a download link is a navigation, handled by the session.
    if (decideNavigation(url, appOrigin()) === "external") openExternal(url);
    return { action: "deny" };
  });
  contents.on("will-attach-webview", (event) => {
    event.preventDefault();
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionGranted(permission, details.requestingUrl, appOrigin()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionGranted(permission, requestingOrigin, appOrigin()),
  );
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !requestAllowed(details.url, appOrigin()) });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
}
