import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { runLarder, startLarderServe, writeTerraformrc, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();
const HOST = "registry.opentofu.org";

/**
 * Issue 15: a provider or module that is not mirrored makes `tofu init` say so, naming Larder and the command
 * that would mirror it; running that command (as printed) fixes the next `init`.
 */
describe.skipIf(!tofu.available)(`tofu init explains what Larder has not mirrored ${tofu.reason}`, () => {
  let fixture: FixtureUpstream;
  let temp: TempDir;
  let serve: ServeProcess | undefined;
  let dataDir: string;
  let config: string;

  beforeAll(async () => {
    temp = await makeTempDir("e2e-miss");
    dataDir = join(temp.path, "data");
    fixture = await startFixtureUpstream();
    serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
    config = await writeTerraformrc(serve, dataDir, "host", join(temp.path, "tofu.tfrc"));
  });

  afterAll(async () => {
    await serve?.stop();
    await fixture.stop();
    await temp.remove();
  });

  async function project(name: string, source: string): Promise<string> {
    const dir = join(temp.path, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "main.tf"), source);
    return dir;
  }

  /** The `larder mirror …` command init printed, split into arguments (the temp paths have no spaces). */
  function printedCommand(output: string, kind: "provider" | "module"): string[] {
    // tofu wraps diagnostics at 78 columns and ends them with a full stop.
    const text = output.replace(/\s+/g, " ");
    const match = new RegExp(`larder (mirror ${kind} \\S+ --data-dir \\S+?)\\.? `).exec(text);
    expect(match, output).not.toBeNull();
    return (match?.[1] ?? "").split(" ");
  }

  it("names the provider and the command for a provider that is not mirrored, and that command fixes it", async () => {
    const dir = await project(
      "provider",
      'terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha" }\n  }\n}\n',
    );
    const failed = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(failed.code).not.toBe(0);
    expect(failed.output.replace(/\s+/g, " ")).toContain(
      "could not query provider registry for registry.opentofu.org/fixture/alpha: 410 Not mirrored by Larder",
    );
    const command = printedCommand(failed.output, "provider");
    expect(command).toEqual(["mirror", "provider", `${HOST}/fixture/alpha`, "--data-dir", dataDir]);

    const mirrored = await runLarder([
      ...command,
      "--platform",
      "linux_amd64",
      "--upstream",
      `${HOST}=${fixture.url}`,
    ]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    const init = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(init.code, init.output).toBe(0);
    expect(init.output).toMatch(/Installed fixture\/alpha v2\.0\.0 \(signed/);
  });

  it("names the module and the command for a module that is not mirrored, and that command fixes it", async () => {
    const dir = await project(
      "module",
      'module "flat" {\n  source  = "fixture/flat/fixture"\n  version = "1.0.0"\n}\n',
    );
    const failed = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(failed.code).not.toBe(0);
    expect(failed.output.replace(/\s+/g, " ")).toContain(
      "error looking up module versions: 410 Not mirrored by Larder",
    );
    const command = printedCommand(failed.output, "module");
    expect(command).toEqual(["mirror", "module", `${HOST}/fixture/flat/fixture`, "--data-dir", dataDir]);

    const mirrored = await runLarder([
      ...command,
      "--version",
      "1.0.0",
      "--for",
      "tofu",
      "--upstream",
      `${HOST}=${fixture.url}`,
    ]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    const init = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(init.code, init.output).toBe(0);
  });
});
