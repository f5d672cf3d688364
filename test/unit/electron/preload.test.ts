import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { DESKTOP_CHANNELS, desktopArgSchemas, type DesktopChannel } from "../../../shared/desktop-api.js";

// The built preload (npm test builds dist/ first), run as Electron runs a sandboxed preload: a CommonJS function
// whose `require("electron")` is the only module it gets. Here that module is a recording fake.
const PRELOAD = fileURLToPath(new URL("../../../dist/main/electron/preload.cjs", import.meta.url));

async function loadPreload() {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; arg: unknown }[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: (channel: string, arg: unknown) => {
        invoked.push({ channel, arg });
        return Promise.resolve(null);
      },
    },
  };
  const required: string[] = [];
  const require = (name: string): unknown => {
    required.push(name);
    if (name !== "electron") throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const source = await readFile(PRELOAD, "utf8");
  const module = { exports: {} };
  const wrapper = runInNewContext(`(function (exports, require, module) {${source}\n})`, {}) as (
    exports: unknown,
    require: (name: string) => unknown,
    module: unknown,
  ) => void;
  wrapper(module.exports, require, module);
  return { exposed, invoked, required };
}

describe("the preload", () => {
  it("requires only electron and exposes one object, window.larderDesktop", async () => {
    const { exposed, required } = await loadPreload();
    expect(required).toEqual(["electron"]);
    expect([...exposed.keys()]).toEqual(["larderDesktop"]);
  });

  it("exposes exactly the seven methods of DesktopApi: no ipcRenderer, no generic send", async () => {
    const { exposed } = await loadPreload();
    const api = exposed.get("larderDesktop") as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(Object.keys(DESKTOP_CHANNELS).sort());
    expect(Object.keys(api)).toHaveLength(7);
    for (const value of Object.values(api)) expect(typeof value).toBe("function");
  });

  it("sends each method to its channel with an argument the main process's schema accepts", async () => {
    const { exposed, invoked } = await loadPreload();
    const api = exposed.get("larderDesktop") as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const calls: [keyof typeof DESKTOP_CHANNELS, unknown[]][] = [
      ["openBundle", []],
      ["saveBundle", ["larder.tar"]],
      ["openSigningKey", []],
      ["revealFile", ["/home/me/larder.tar"]],
      ["notify", ["Title", "Body"]],
      ["appInfo", []],
      ["openProjectFolder", []],
    ];
    for (const [method, args] of calls) await api[method]?.(...args);
    expect(invoked.map((call) => call.channel)).toEqual(calls.map(([method]) => DESKTOP_CHANNELS[method]));
    for (const { channel, arg } of invoked) {
      expect(desktopArgSchemas[channel as DesktopChannel].safeParse(arg).success, channel).toBe(true);
    }
  });
});
