// credentials.json: private (0600) from the first byte, replaced atomically, made private again if loosened.
import { chmod, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CredentialsFile } from "../../../main/store/credentials-file.js";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const posix = process.platform !== "win32";
let temp: TempDir;
let warnings: string[];
let file: CredentialsFile;

beforeEach(async () => {
  temp = await makeTempDir("credentials");
  warnings = [];
  file = new CredentialsFile(temp.path, (message) => warnings.push(message));
});

afterEach(async () => {
  await temp.remove();
});

describe("CredentialsFile", () => {
  it("has no tokens and no file until one is set", async () => {
    expect(file.tokenOf("registry.example.com")).toBeUndefined();
    expect(file.hosts()).toEqual([]);
    expect(await readdir(temp.path)).toEqual([]);
  });

  it.runIf(posix)("writes mode 0600 and leaves no temporary file behind", async () => {
    await file.setToken("registry.example.com", "secret-1");
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(temp.path)).toEqual(["credentials.json"]);
    await file.setToken("other.example.com", "secret-2");
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(temp.path)).toEqual(["credentials.json"]);
  });

  it("stores, replaces and removes tokens per host, and reads another writer's change", async () => {
    await file.setToken("a.example.com", "one");
    await file.setToken("b.example.com", "two");
    await file.setToken("a.example.com", "three");
    const other = new CredentialsFile(temp.path);
    expect(other.tokenOf("a.example.com")).toBe("three");
    await other.setToken("b.example.com", null);
    expect(file.hosts()).toEqual(["a.example.com"]);
    expect(JSON.parse(await readFile(file.path, "utf8"))).toEqual({
      version: 1,
      tokens: { "a.example.com": "three" },
    });
  });

  it.runIf(posix)(
    "makes a group/world-readable file private again, with a warning that names it",
    async () => {
      await file.setToken("a.example.com", "one");
      await chmod(file.path, 0o644);
      expect(
        new CredentialsFile(temp.path, (message) => warnings.push(message)).tokenOf("a.example.com"),
      ).toBe("one");
      expect((await stat(file.path)).mode & 0o777).toBe(0o600);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /credentials\.json was readable by other users \(mode 644\); it is now 600/,
      );
      expect(warnings[0]).not.toContain("one");
    },
  );

  it("refuses a damaged file with how to repair it, without quoting its content", async () => {
    await writeFile(file.path, '{"tokens": "secret-in-broken-file"', { mode: 0o600 });
    const error = errorOf(() => file.tokenOf("a.example.com"));
    expect(error.code).toBe("storage_failed");
    expect(error.message).toMatch(/Fix or delete the file.*larder upstream add HOST --token-stdin/);
    expect(error.message).not.toContain("secret-in-broken-file");
  });
});
