import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { runLarder, startLarderServe, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();
const HOST = "registry.opentofu.org";

// Every source kind the fixture has: zip, tar.gz, ?archive=, GitHub archive, GitHub subdirectory, git over HTTP,
// and a module that calls another registry module and requires a provider.
const MODULES = [
  { key: "caller", name: "caller", version: "1.0.0" },
  { key: "flat_zip", name: "flat", version: "1.0.0" },
  { key: "flat_query", name: "flat", version: "1.2.0" },
  { key: "github", name: "github", version: "2.0.0" },
  { key: "github_sub", name: "github", version: "2.1.0" },
  { key: "gitrepo", name: "gitrepo", version: "3.0.0" },
] as const;

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split("\\").join("/"), await readFile(path, "utf8"));
  }
  return files;
}

describe.skipIf(!tofu.available)(`tofu init installs modules from Larder ${tofu.reason}`, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let serve: ServeProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    temp = await makeTempDir("e2e-modules");
    dataDir = join(temp.path, "data");
    const upstream = await startFixtureUpstream();
    fixture = upstream;
    const upstreams = [
      ["--upstream", `${HOST}=${upstream.url}`],
      ["--upstream", `registry.terraform.io=${upstream.url}`],
      ["--upstream", `github.com=${upstream.url}/github`],
    ].flat();
    for (const module of MODULES) {
      const result = await runLarder([
        "mirror",
        "module",
        `${HOST}/fixture/${module.name}/fixture`,
        "--version",
        module.version,
        "--platform",
        "linux_amd64",
        // For tofu, which reads caller's host-less nested call as registry.opentofu.org.
        "--for",
        "tofu",
        "--data-dir",
        dataDir,
        ...upstreams,
      ]);
      expect(result.code, result.stderr).toBe(0);
    }
    await upstream.stop();
    serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
  });

  afterAll(async () => {
    await serve?.stop();
    await fixture?.stop();
    await temp.remove();
  });

  it("installs every module kind, nested registry modules and required providers with the upstream stopped", async () => {
    if (!serve || !fixture) throw new Error("setup failed");
    const rc = await runLarder([
      "terraformrc",
      "--tool",
      "tofu",
      "--port",
      new URL(serve.httpUrl).port,
      "--data-dir",
      dataDir,
    ]);
    expect(rc.code, rc.stderr).toBe(0);
    const config = join(temp.path, "tofu.tfrc");
    await writeFile(config, rc.stdout);
    const project = join(temp.path, "project");
    await mkdir(project);
    await writeFile(
      join(project, "main.tf"),
      MODULES.map(
        (m) =>
          `module "${m.key}" {\n  source  = "fixture/${m.name}/fixture"\n  version = "${m.version}"\n}\n`,
      ).join("\n"),
    );
    const init = await runTofu(["init", "-input=false"], { cwd: project, cliConfigFile: config });
    expect(init.code, init.output).toBe(0);
    expect(init.output).toMatch(/Installed registry\.terraform\.io\/fixture\/alpha v1\.1\.0/);

    // The installed module packages hold exactly the upstream's files.
    const installed = (key: string): Promise<Map<string, string>> =>
      filesUnder(join(project, ".terraform", "modules", key));
    for (const module of MODULES) {
      const expected = new Map(
        fixture
          .moduleTreeOf("fixture", module.name, "fixture", module.version)
          .map((file) => [file.name, Buffer.from(file.data).toString("utf8")]),
      );
      expect(expected.size, `fixture files of ${module.key}`).toBeGreaterThan(1);
      expect(await installed(module.key), module.key).toEqual(expected);
    }
    const nested = new Map(
      fixture
        .moduleTreeOf("fixture", "flat", "fixture", "1.1.0")
        .map((file) => [file.name, Buffer.from(file.data).toString("utf8")]),
    );
    expect(await installed("caller.flat")).toEqual(nested);

    // tofu resolved the GitHub subdirectory module inside the whole repository, so ../shared still works.
    const manifest = JSON.parse(
      await readFile(join(project, ".terraform", "modules", "modules.json"), "utf8"),
    ) as {
      Modules: { Key: string; Dir: string }[];
    };
    const sub = manifest.Modules.find((entry) => entry.Key === "github_sub");
    expect(sub?.Dir).toBe(
      `.terraform/modules/github_sub/${fixture.moduleSubdirOf("fixture", "github", "fixture", "2.1.0")}`,
    );
  });
});
