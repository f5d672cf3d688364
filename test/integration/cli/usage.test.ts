import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { runLarder } from "../../helpers/larder-cli.js";

/** The "version" of package.json, checked without trusting its type. */
async function packageVersion(): Promise<string> {
  const json: unknown = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8"));
  if (typeof json === "object" && json !== null && "version" in json && typeof json.version === "string") {
    return json.version;
  }
  throw new Error("package.json has no version");
}

describe("larder: usage, help and version", () => {
  it("--help exits 0 and lists every command", async () => {
    const result = await runLarder(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: larder /);
    for (const command of ["serve", "mirror", "list", "jobs", "terraformrc", "bundle"]) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
  });

  it("mirror provider --help exits 0 and lists the argument and every option", async () => {
    const result = await runLarder(["mirror", "provider", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: larder mirror provider \[options\] <address\.\.\.>/);
    for (const option of [
      "--version <constraint>",
      "--all-versions",
      "--platform <os_arch>",
      "--upstream <HOST=URL>",
      "--data-dir <dir>",
    ]) {
      expect(result.stdout).toContain(option);
    }
  });

  it("--help of list, terraformrc and serve names their options", async () => {
    const expected: Record<string, string[]> = {
      list: ["--json", "--data-dir"],
      terraformrc: ["--tool", "--mode", "--port", "--https-port", "--data-dir"],
      serve: ["--listen", "--port", "--https-port", "--upstream", "--data-dir"],
    };
    for (const [command, options] of Object.entries(expected)) {
      const result = await runLarder([command, "--help"]);
      expect(result.code, command).toBe(0);
      for (const option of options) expect(result.stdout, command).toContain(option);
    }
  });

  it("jobs --help lists every jobs subcommand, and each names its options", async () => {
    const result = await runLarder(["jobs", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: larder jobs /);
    expect(result.stdout).toContain("--json");
    for (const command of ["show", "resume", "pause", "cancel", "retry"]) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
    const expected: Record<string, string[]> = {
      show: ["<id>", "--json", "--data-dir"],
      resume: ["<id>", "--item <item-id>", "--upstream <HOST=URL>", "--data-dir"],
      pause: ["<id>", "--item <item-id>", "--data-dir"],
      cancel: ["<id>", "--item <item-id>", "--data-dir"],
      retry: ["<id>", "--item <item-id>", "--upstream <HOST=URL>", "--data-dir"],
    };
    for (const [command, options] of Object.entries(expected)) {
      const help = await runLarder(["jobs", command, "--help"]);
      expect(help.code, command).toBe(0);
      for (const option of options) expect(help.stdout, command).toContain(option);
    }
  });

  it("bundle --help lists export, verify, import and list, and each names its options", async () => {
    const result = await runLarder(["bundle", "--help"]);
    expect(result.code).toBe(0);
    for (const command of ["export", "verify", "import", "list"]) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
    const expected: Record<string, string[]> = {
      export: [
        "<file>",
        "--provider",
        "--module",
        "--version",
        "--platform",
        "--since",
        "--gzip",
        "--sign-key",
        "--data-dir",
      ],
      verify: ["<file>", "--trust-key", "--json"],
      import: ["<file>", "--trust-key", "--data-dir"],
      list: ["--json", "--data-dir"],
    };
    for (const [command, options] of Object.entries(expected)) {
      const help = await runLarder(["bundle", command, "--help"]);
      expect(help.code, command).toBe(0);
      for (const option of options) expect(help.stdout, command).toContain(option);
    }
  });

  it("jobs resume without an id exits non-zero and names the missing argument", async () => {
    const result = await runLarder(["jobs", "resume"]);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toMatch(/missing required argument 'id'/);
  });

  it("--version prints the package version and exits 0", async () => {
    const result = await runLarder(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(await packageVersion());
  });

  it("an unknown command exits non-zero and says so on stderr", async () => {
    const result = await runLarder(["frobnicate"]);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stdout).toBe("");
  });

  it("an unknown option exits non-zero and names it", async () => {
    const result = await runLarder(["list", "--jsonn"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown option '--jsonn'/);
  });

  it("mirror provider without an address exits non-zero and names the missing argument", async () => {
    const result = await runLarder(["mirror", "provider"]);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toMatch(/missing required argument 'address'/);
  });

  it("an option without its value exits non-zero and names the option", async () => {
    const result = await runLarder(["mirror", "provider", "fixture/alpha", "--platform"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--platform/);
  });
});
