import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AdminClient } from "../../../shared/api-client.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { startLarderServe } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { archivePath } from "../downloads/download-support.js";
import { eventually } from "./admin-support.js";

let fixture: FixtureUpstream;
let temp: TempDir;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  temp = await makeTempDir("admin-serve");
});
afterAll(async () => {
  await fixture.stop();
  await temp.remove();
});

it("a job started through the API of larder serve survives a stop mid-download and finishes after the restart", async () => {
  const dataDir = join(temp.path, "data");
  const args = [
    ...["--data-dir", dataDir, "--port", "0", "--https-port", "0"],
    ...["--upstream", `registry.terraform.io=${fixture.url}`],
  ];
  const pkg = fixture.packageOf("fixture", "alpha", "2.0.0", "linux_amd64");
  fixture.slowDown(archivePath(pkg), Math.max(1, Math.floor(pkg.zip.length / 6)));
  const first = await startLarderServe(args);
  const login = await eventually(() => /Admin: (\S+)/.exec(first.stdout())?.[1], "the login URL");
  const token = (await readFile(join(dataDir, "admin-token"), "utf8")).trim();
  expect(login).toBe(`${first.httpUrl}/?token=${token}`);
  const client = new AdminClient({ baseUrl: first.httpUrl, token });
  const { id } = await client.startJob({
    kind: "provider",
    address: "registry.terraform.io/fixture/alpha",
    versions: ["2.0.0"],
    platforms: ["linux_amd64"],
  });
  await eventually(async () => {
    const job = await client.job(id);
    return (job.items[0]?.bytesDone ?? 0) > 0 ? job : undefined;
  }, "the first bytes");
  const stopped = await first.stop();
  expect(stopped.code).toBe(0);

  fixture.slowDown(archivePath(pkg), 0);
  const second = await startLarderServe(args);
  try {
    const again = new AdminClient({ baseUrl: second.httpUrl, token });
    const done = await eventually(async () => {
      const job = await again.job(id);
      return job.job.state.status === "succeeded" ? job : undefined;
    }, "the resumed job");
    expect(done.items).toHaveLength(1);
    expect((await again.inventory()).hosts[0]?.providers[0]?.versions.map((v) => v.version)).toEqual([
      "2.0.0",
    ]);
  } finally {
    const result = await second.stop();
    expect(result.stderr).toContain(`Resuming job ${id}, interrupted earlier.`);
  }
});

it("switches pull-through on and off from the settings while serving, without a restart", async () => {
  const dataDir = join(temp.path, "switch");
  const serve = await startLarderServe([
    ...["--data-dir", dataDir, "--port", "0", "--https-port", "0"],
    ...["--upstream", `registry.terraform.io=${fixture.url}`],
  ]);
  try {
    const token = (await readFile(join(dataDir, "admin-token"), "utf8")).trim();
    const client = new AdminClient({ baseUrl: serve.httpUrl, token });
    const versions = `${serve.httpUrl}/v1/providers/registry.terraform.io/fixture/alpha/versions`;
    expect((await fetch(versions)).status).toBe(404);
    expect((await client.status()).mode).toBe("offline");
    await client.updateSettings({ pullThrough: true });
    // The setting is re-read at most once a second.
    const listed = await eventually(async () => {
      const response = await fetch(versions);
      return response.status === 200 ? ((await response.json()) as { versions: unknown[] }) : undefined;
    }, "pull-through to answer");
    expect(listed.versions.length).toBeGreaterThan(0);
    expect((await client.status()).mode).toBe("pull-through");
    await client.updateSettings({ pullThrough: false });
    await eventually(
      async () => ((await fetch(versions)).status === 404 ? true : undefined),
      "offline again",
    );
  } finally {
    await serve.stop();
  }
});
