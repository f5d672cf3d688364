import type { Session, WebContents } from "electron";
import { describe, expect, it } from "vitest";
import {
  decideNavigation,
  FALLBACK_CSP,
  installWindowGuards,
  permissionGranted,
  requestAllowed,
  withCsp,
} from "../../../main/electron/window-guards.js";

const ORIGIN = "http://127.0.0.1:7373";

describe("decideNavigation", () => {
  it.each([
    [`${ORIGIN}/browse?q=aws`, "allow"],
    [`${ORIGIN}/`, "allow"],
    ["https://github.com/hashicorp/terraform-provider-aws", "external"],
    ["http://example.com/docs", "external"],
    ["mailto:ops@example.com", "external"],
    ["http://127.0.0.1:7374/", "external"],
    ["file:///etc/passwd", "deny"],
    ["javascript:alert(1)", "deny"],
    ["vscode://open?file=/etc/passwd", "deny"],
    ["chrome://settings", "deny"],
    ["", "deny"],
    ["::not a url::", "deny"],
  ])("%s → %s", (url, decision) => {
    expect(decideNavigation(url, ORIGIN)).toBe(decision);
  });
});

describe("before the app's origin is known", () => {
  it("allows no navigation to data:, file: or about: pages, whose origin is the string null", () => {
    for (const url of ["data:text/html,x", "file:///etc/passwd", "about:blank"])
      expect(decideNavigation(url, "")).toBe("deny");
  });
});

describe("requestAllowed", () => {
  it.each([
    [`${ORIGIN}/assets/index.js`, true],
    [`${ORIGIN}/api/events`, true],
    ["data:image/png;base64,AAAA", true],
    [`blob:${ORIGIN}/5b0f`, true],
    ["devtools://devtools/bundled/inspector.html", true],
    ["https://fonts.googleapis.com/css", false],
    ["http://127.0.0.1:7374/api/status", false],
    ["file:///etc/passwd", false],
    ["ws://evil.example/", false],
    ["nonsense", false],
  ])("%s → %s", (url, allowed) => {
    expect(requestAllowed(url, ORIGIN)).toBe(allowed);
  });
});

describe("permissionGranted", () => {
  it.each([
    ["clipboard-sanitized-write", `${ORIGIN}/connect`, true],
    ["clipboard-sanitized-write", ORIGIN, true],
    ["clipboard-sanitized-write", "https://evil.example/", false],
    ["clipboard-sanitized-write", "", false],
    ["clipboard-read", `${ORIGIN}/connect`, false],
    ["notifications", `${ORIGIN}/`, false],
    ["media", `${ORIGIN}/`, false],
  ])("%s from %s → %s", (permission, url, granted) => {
    expect(permissionGranted(permission, url, ORIGIN)).toBe(granted);
  });
});

describe("withCsp", () => {
  it("adds the fallback policy to a response that has none", () => {
    expect(withCsp({ "content-type": ["application/json"] })).toEqual({
      "content-type": ["application/json"],
      "Content-Security-Policy": [FALLBACK_CSP],
    });
    expect(withCsp(undefined)).toEqual({ "Content-Security-Policy": [FALLBACK_CSP] });
  });

  it("keeps the server's own policy, whatever the header's case", () => {
    const headers = { "content-security-policy": ["default-src 'self'; img-src 'self' data:"] };
    expect(withCsp(headers)).toEqual(headers);
  });

  it("forbids remote scripts, plugins and framing", () => {
    expect(FALLBACK_CSP).toContain("default-src 'self'");
    expect(FALLBACK_CSP).toContain("object-src 'none'");
    expect(FALLBACK_CSP).toContain("frame-ancestors 'none'");
    expect(FALLBACK_CSP).not.toMatch(/unsafe-eval|\*/);
  });
});

type Listener = (...args: never[]) => void;

/**
 * The parts of WebContents and Session the guards use, recording the handlers they install: Electron itself is
 * replaced here and nowhere else.
 */
function fakeWindow() {
  const listeners = new Map<string, Listener>();
  let windowOpen: ((details: { url: string }) => { action: string }) | undefined;
  let permissionRequest:
    | ((c: unknown, p: string, cb: (granted: boolean) => void, d: { requestingUrl: string }) => void)
    | undefined;
  let permissionCheck: ((c: unknown, p: string, origin: string) => boolean) | undefined;
  let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
  let headersReceived:
    | ((
        d: { responseHeaders?: Record<string, string[]> },
        cb: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void)
    | undefined;
  const contents = {
    on: (event: string, listener: Listener) => {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler: (handler: typeof windowOpen) => {
      windowOpen = handler;
    },
  };
  const session = {
    setPermissionRequestHandler: (handler: typeof permissionRequest) => {
      permissionRequest = handler;
    },
    setPermissionCheckHandler: (handler: typeof permissionCheck) => {
      permissionCheck = handler;
    },
    webRequest: {
      onBeforeRequest: (handler: typeof beforeRequest) => {
        beforeRequest = handler;
      },
      onHeadersReceived: (handler: typeof headersReceived) => {
        headersReceived = handler;
      },
    },
  };
  const fire = (event: string, url: string): { prevented: boolean } => {
    const result = { prevented: false };
    const listener = listeners.get(event) as
      ((e: { preventDefault(): void }, url: string) => void) | undefined;
    if (!listener) throw new Error(`no ${event} listener`);
    listener(
      {
        preventDefault: () => {
          result.prevented = true;
        },
      },
      url,
    );
    return result;
  };
  return {
    contents: contents as unknown as WebContents,
    session: session as unknown as Session,
    fire,
    listeners,
    openWindow: (url: string) => windowOpen?.({ url }),
    requestPermission: (permission: string, requestingUrl = `${ORIGIN}/connect`) =>
      new Promise<boolean>((resolve) => {
        permissionRequest?.({}, permission, resolve, { requestingUrl });
      }),
    checkPermission: (permission: string, origin = ORIGIN) => permissionCheck?.({}, permission, origin),
    request: (url: string) =>
      new Promise<boolean>((resolve) => {
        beforeRequest?.({ url }, (r) => {
          resolve(!r.cancel);
        });
      }),
    headers: (responseHeaders?: Record<string, string[]>) =>
      new Promise<Record<string, string[]>>((resolve) => {
        headersReceived?.({ ...(responseHeaders ? { responseHeaders } : {}) }, (r) => {
          resolve(r.responseHeaders);
        });
      }),
  };
}

describe("installWindowGuards", () => {
  const install = (origin: () => string = () => ORIGIN) => {
    const window = fakeWindow();
    const opened: string[] = [];
    installWindowGuards(window.contents, window.session, origin, (url) => opened.push(url));
    return { ...window, opened };
  };

  it("lets the window move within the app", () => {
    const { fire, opened } = install();
    expect(fire("will-navigate", `${ORIGIN}/downloads`).prevented).toBe(false);
    expect(fire("will-redirect", `${ORIGIN}/mirror`).prevented).toBe(false);
    expect(opened).toEqual([]);
  });

  it("sends a link to another site to the system browser instead of the window", () => {
    const { fire, opened } = install();
    expect(fire("will-navigate", "https://registry.terraform.io/providers/hashicorp/aws").prevented).toBe(
      true,
    );
    expect(opened).toEqual(["https://registry.terraform.io/providers/hashicorp/aws"]);
  });

  it("stops a redirect off the app's origin", () => {
    const { fire, opened } = install();
    expect(fire("will-redirect", "https://evil.example/phish").prevented).toBe(true);
    expect(opened).toEqual(["https://evil.example/phish"]);
  });

  it("goes nowhere for file:, javascript: and custom schemes", () => {
    const { fire, opened } = install();
    for (const url of ["file:///etc/passwd", "javascript:alert(1)", "ms-settings:privacy"]) {
      expect(fire("will-navigate", url).prevented).toBe(true);
    }
    expect(opened).toEqual([]);
  });

  it("never opens a second window: external links go to the browser, everything else nowhere", () => {
    const { openWindow, opened } = install();
    expect(openWindow("https://github.com/org/repo")).toEqual({ action: "deny" });
    expect(openWindow(`${ORIGIN}/mirror`)).toEqual({ action: "deny" });
    expect(openWindow("file:///etc/passwd")).toEqual({ action: "deny" });
    expect(opened).toEqual(["https://github.com/org/repo"]);
  });

  it("refuses to attach a webview", () => {
    const { fire } = install();
    expect(fire("will-attach-webview", "").prevented).toBe(true);
  });

  it("denies every permission request and check but the app's own clipboard writes", async () => {
    const { requestPermission, checkPermission } = install();
    for (const permission of [
      "media",
      "geolocation",
      "notifications",
      "clipboard-read",
      "openExternal",
      "usb",
    ]) {
      await expect(requestPermission(permission)).resolves.toBe(false);
      expect(checkPermission(permission)).toBe(false);
    }
    // The Copy buttons: Chromium checks, then asks, for clipboard-sanitized-write.
    expect(checkPermission("clipboard-sanitized-write")).toBe(true);
    await expect(requestPermission("clipboard-sanitized-write")).resolves.toBe(true);
    // …but not for a page of another origin.
    expect(checkPermission("clipboard-sanitized-write", "https://evil.example")).toBe(false);
    await expect(requestPermission("clipboard-sanitized-write", "http://127.0.0.1:7374/")).resolves.toBe(
      false,
    );
  });

  it("cancels requests to any other origin: no remote content", async () => {
    const { request } = install();
    await expect(request(`${ORIGIN}/assets/app.js`)).resolves.toBe(true);
    await expect(request("https://cdn.example/lib.js")).resolves.toBe(false);
    await expect(request("http://127.0.0.1:9999/")).resolves.toBe(false);
  });

  it("puts a CSP on every response that comes without one", async () => {
    const { headers } = install();
    await expect(headers({ "content-type": ["text/plain"] })).resolves.toMatchObject({
      "Content-Security-Policy": [FALLBACK_CSP],
    });
    await expect(headers()).resolves.toEqual({ "Content-Security-Policy": [FALLBACK_CSP] });
  });

  it("follows the app's origin when the server moves to other ports", async () => {
    let origin = ORIGIN;
    const { request, fire } = install(() => origin);
    origin = "http://127.0.0.1:40001";
    await expect(request(`${ORIGIN}/api/status`)).resolves.toBe(false);
    await expect(request("http://127.0.0.1:40001/api/status")).resolves.toBe(true);
    expect(fire("will-navigate", "http://127.0.0.1:40001/mirror").prevented).toBe(false);
  });
});
