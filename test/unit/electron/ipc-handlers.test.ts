import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createIpcHandlers,
  IpcRefused,
  senderAllowed,
  type DesktopServices,
  type FileDialogRequest,
  type InvokeEvent,
} from "../../../main/electron/ipc-handlers.js";
import { DESKTOP_CHANNELS, desktopAppInfoSchema, type DesktopChannel } from "../../../shared/desktop-api.js";

const ORIGIN = "http://127.0.0.1:7373";
const fromApp: InvokeEvent = { senderFrame: { url: `${ORIGIN}/bundles`, parent: null } };

/** Services that record what the handlers asked for, standing in for Electron's dialog, shell and Notification. */
function recordingServices(dialogAnswer: string | null = "/home/me/larder.tar") {
  const calls = {
    dialogs: [] as FileDialogRequest[],
    revealed: [] as string[],
    notices: [] as { title: string; body: string }[],
  };
  const services: DesktopServices = {
    fileDialog: (request) => {
      calls.dialogs.push(request);
      return Promise.resolve(dialogAnswer);
    },
    revealInFolder: (path) => calls.revealed.push(path),
    notify: (title, body) => calls.notices.push({ title, body }),
    appInfo: () => ({ version: "9.9.9", platform: "linux", dataDir: "/data" }),
  };
  return { services, calls };
}

describe("senderAllowed", () => {
  it("accepts the app's own top-level page", () => {
    expect(senderAllowed({ url: `${ORIGIN}/mirror?x=1`, parent: null }, ORIGIN)).toBe(true);
  });

  it.each([
    ["another origin", { url: "https://evil.example/", parent: null }],
    ["the same host on another port", { url: "http://127.0.0.1:7374/mirror", parent: null }],
    ["localhost instead of the loopback address", { url: "http://localhost:7373/mirror", parent: null }],
    ["an iframe of the app's own origin", { url: `${ORIGIN}/mirror`, parent: {} }],
    ["a file: page", { url: "file:///etc/passwd", parent: null }],
    ["a URL that does not parse", { url: "not a url", parent: null }],
    ["a frame that is gone", null],
  ])("refuses %s", (_what, frame) => {
    expect(senderAllowed(frame, ORIGIN)).toBe(false);
  });

  it("refuses everything while the app's origin is not known yet (the empty string)", () => {
    for (const url of [`${ORIGIN}/`, "data:text/html,x", "file:///x", "about:blank"])
      expect(senderAllowed({ url, parent: null }, "")).toBe(false);
  });
});

describe("createIpcHandlers", () => {
  const handlerFor = (channel: DesktopChannel, services: DesktopServices) =>
    createIpcHandlers(services, () => ORIGIN)[channel];

  it("has one handler per channel of the preload API and no other", () => {
    const handlers = createIpcHandlers(recordingServices().services, () => ORIGIN);
    expect(Object.keys(handlers).sort()).toEqual(Object.values(DESKTOP_CHANNELS).sort());
  });

  it("refuses every channel from another origin, an iframe or a closed frame, before doing anything", async () => {
    const { services, calls } = recordingServices();
    const handlers = createIpcHandlers(services, () => ORIGIN);
    const strangers: InvokeEvent[] = [
      { senderFrame: { url: "https://evil.example/", parent: null } },
      { senderFrame: { url: `${ORIGIN}/`, parent: {} } },
      { senderFrame: null },
    ];
    const validArgs: Record<DesktopChannel, unknown> = {
      [DESKTOP_CHANNELS.openBundle]: undefined,
      [DESKTOP_CHANNELS.saveBundle]: { defaultName: "larder.tar" },
      [DESKTOP_CHANNELS.openSigningKey]: undefined,
      [DESKTOP_CHANNELS.revealFile]: { path: "/tmp" },
      [DESKTOP_CHANNELS.notify]: { title: "t", body: "b" },
      [DESKTOP_CHANNELS.appInfo]: undefined,
      [DESKTOP_CHANNELS.openProjectFolder]: undefined,
    };
    for (const [channel, handler] of Object.entries(handlers)) {
      for (const event of strangers) {
        await expect(handler(event, validArgs[channel as DesktopChannel])).rejects.toThrow(IpcRefused);
      }
    }
    expect(calls).toEqual({ dialogs: [], revealed: [], notices: [] });
  });

  it("reads the origin on every call, so a server that moved to other ports is followed", async () => {
    let origin = ORIGIN;
    const handler = createIpcHandlers(recordingServices().services, () => origin)[DESKTOP_CHANNELS.appInfo];
    await expect(handler(fromApp, undefined)).resolves.toBeDefined();
    origin = "http://127.0.0.1:40001";
    await expect(handler(fromApp, undefined)).rejects.toThrow(/refused a call from http:\/\/127.0.0.1:7373/);
  });

  it("opens a bundle with a native open dialog filtered to .tar, and answers null when cancelled", async () => {
    const { services, calls } = recordingServices(null);
    await expect(handlerFor(DESKTOP_CHANNELS.openBundle, services)(fromApp, undefined)).resolves.toBeNull();
    expect(calls.dialogs).toEqual([
      expect.objectContaining({ kind: "open", filters: [{ name: "Larder bundles", extensions: ["tar"] }] }),
    ]);
  });

  it("asks where to save a bundle, proposing the file name it was given", async () => {
    const { services, calls } = recordingServices("/home/me/out.tar");
    const save = handlerFor(DESKTOP_CHANNELS.saveBundle, services);
    await expect(save(fromApp, { defaultName: "larder-2026-12-04.tar" })).resolves.toBe("/home/me/out.tar");
    expect(calls.dialogs[0]).toMatchObject({ kind: "save", defaultName: "larder-2026-12-04.tar" });
  });

  it.each([
    ["no argument", undefined, /saveBundle|larder:save-bundle: argument/],
    ["a path instead of a name", { defaultName: "../../etc/cron.d/x" }, /a file name, not a path/],
    ["a Windows path", { defaultName: "C:\\Users\\x.tar" }, /a file name, not a path/],
    ["an empty name", { defaultName: "" }, /defaultName/],
    ["an extra field", { defaultName: "a.tar", path: "/tmp" }, /Unrecognized key/],
  ])("refuses a save with %s", async (_what, arg, message) => {
    const { services, calls } = recordingServices();
    await expect(handlerFor(DESKTOP_CHANNELS.saveBundle, services)(fromApp, arg)).rejects.toThrow(message);
    expect(calls.dialogs).toEqual([]);
  });

  it("opens a signing key with key-file filters", async () => {
    const { services, calls } = recordingServices("/home/me/key.asc");
    await expect(handlerFor(DESKTOP_CHANNELS.openSigningKey, services)(fromApp, undefined)).resolves.toBe(
      "/home/me/key.asc",
    );
    expect(calls.dialogs[0]?.filters[0]?.extensions).toContain("asc");
  });

  it("chooses a project's folder with a native folder dialog, and answers null when cancelled", async () => {
    const { services, calls } = recordingServices("/home/me/infra");
    const choose = handlerFor(DESKTOP_CHANNELS.openProjectFolder, services);
    await expect(choose(fromApp, undefined)).resolves.toBe("/home/me/infra");
    expect(calls.dialogs).toEqual([expect.objectContaining({ kind: "folder", filters: [] })]);
    const cancelled = recordingServices(null);
    await expect(
      handlerFor(DESKTOP_CHANNELS.openProjectFolder, cancelled.services)(fromApp, undefined),
    ).resolves.toBeNull();
  });

  it("refuses arguments on the channels that take none", async () => {
    const { services, calls } = recordingServices();
    for (const channel of [
      DESKTOP_CHANNELS.openBundle,
      DESKTOP_CHANNELS.openSigningKey,
      DESKTOP_CHANNELS.appInfo,
      DESKTOP_CHANNELS.openProjectFolder,
    ]) {
      await expect(handlerFor(channel, services)(fromApp, { path: "/etc" })).rejects.toThrow(IpcRefused);
    }
    expect(calls.dialogs).toEqual([]);
  });

  describe("revealFile", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "larder-ipc-"));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("shows a file that exists in its folder", async () => {
      const file = join(dir, "bundle.tar");
      await writeFile(file, "x");
      const { services, calls } = recordingServices();
      await expect(handlerFor(DESKTOP_CHANNELS.revealFile, services)(fromApp, { path: file })).resolves.toBe(
        true,
      );
      expect(calls.revealed).toEqual([file]);
    });

    it("answers false for a file that is not there, and shows nothing", async () => {
      const { services, calls } = recordingServices();
      const reveal = handlerFor(DESKTOP_CHANNELS.revealFile, services);
      await expect(reveal(fromApp, { path: join(dir, "gone.tar") })).resolves.toBe(false);
      expect(calls.revealed).toEqual([]);
    });

    it.each([
      ["a relative path", { path: "bundle.tar" }, /use an absolute path/],
      ["a path with NUL", { path: "/tmp/a\0b" }, /NUL/],
      ["a number", { path: 42 }, /path/],
      ["a string instead of an object", "/tmp", /argument/],
    ])("refuses %s", async (_what, arg, message) => {
      const { services, calls } = recordingServices();
      await expect(handlerFor(DESKTOP_CHANNELS.revealFile, services)(fromApp, arg)).rejects.toThrow(message);
      expect(calls.revealed).toEqual([]);
    });
  });

  it("shows a notification with the title and body it was given", async () => {
    const { services, calls } = recordingServices();
    const notify = handlerFor(DESKTOP_CHANNELS.notify, services);
    await expect(notify(fromApp, { title: "Bundle exported", body: "1.0 MiB" })).resolves.toBeUndefined();
    expect(calls.notices).toEqual([{ title: "Bundle exported", body: "1.0 MiB" }]);
  });

  it.each([
    ["an empty title", { title: "", body: "b" }],
    ["a title of 121 characters", { title: "x".repeat(121), body: "b" }],
    ["a body of 1001 characters", { title: "t", body: "x".repeat(1001) }],
    ["a missing body", { title: "t" }],
  ])("refuses a notification with %s", async (_what, arg) => {
    const { services, calls } = recordingServices();
    await expect(handlerFor(DESKTOP_CHANNELS.notify, services)(fromApp, arg)).rejects.toThrow(IpcRefused);
    expect(calls.notices).toEqual([]);
  });

  it("answers the app's version, platform and data dir in the shared shape", async () => {
    const { services } = recordingServices();
    const info = await handlerFor(DESKTOP_CHANNELS.appInfo, services)(fromApp, undefined);
    expect(desktopAppInfoSchema.parse(info)).toEqual({
      version: "9.9.9",
      platform: "linux",
      dataDir: "/data",
    });
  });
});
