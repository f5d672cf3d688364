import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jobDetailSchema, jobListSchema, type JobDetail } from "../../../shared/api/index.js";
import { AdminApiError } from "../../../shared/api-client.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { archivePath } from "../downloads/download-support.js";
import { eventually, startAdminHarness, type AdminHarness } from "./admin-support.js";

let h: AdminHarness;

beforeAll(async () => {
  h = await startAdminHarness("admin-jobs");
});
afterAll(async () => {
  await h.stop();
});
afterEach(() => {
  for (const version of ["1.0.0", "1.1.0", "2.1.0-beta1"])
    for (const platform of ["linux_amd64", "windows_amd64", "darwin_arm64"])
      h.fixture.slowDown(archivePath(h.fixture.packageOf("fixture", "alpha", version, platform)), 0);
});

/** Paces an alpha package's archive so a job on it runs for about `seconds`. */
function slow(version: string, platform: string, seconds: number): void {
  const pkg = h.fixture.packageOf("fixture", "alpha", version, platform);
  h.fixture.slowDown(archivePath(pkg), Math.max(1, Math.floor(pkg.zip.length / seconds)));
}

async function detail(id: number): Promise<JobDetail> {
  const response = await h.api(`/api/jobs/${id}`);
  expect(response.status).toBe(200);
  return jobDetailSchema.parse(await response.json());
}

function untilJob(id: number, status: string): Promise<JobDetail> {
  return eventually(async () => {
    const job = await detail(id);
    return job.job.state.status === status ? job : undefined;
  }, `job ${id} ${status}`);
}

describe("POST /api/jobs", () => {
  it("plans, runs in the server and stores a provider job; the CLI sees the same job", async () => {
    const response = await h.api("/api/jobs", {
      method: "POST",
      json: {
        kind: "provider",
        address: "registry.terraform.io/fixture/alpha",
        versions: ["1.0.0"],
        platforms: ["linux_amd64", "windows_amd64"],
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    const done = await untilJob(id, "succeeded");
    expect(done.items.map((item) => [item.kind, item.state.status])).toEqual([
      ["provider-package", "succeeded"],
      ["provider-package", "succeeded"],
    ]);
    expect(done.job.items.total).toBe(2);
    const versions = (await (
      await fetch(`${h.server.httpUrl}/v1/providers/registry.terraform.io/fixture/alpha/versions`)
    ).json()) as { versions: { version: string }[] };
    expect(versions.versions.map((entry) => entry.version)).toContain("1.0.0");
    // Another process on the same data directory sees the job the API started.
    const cli = await runLarder(["jobs", "show", String(id), "--json", "--data-dir", h.dataDir]);
    expect(cli.code).toBe(0);
    expect((JSON.parse(cli.stdout) as { job: { state: string } }).job.state).toBe("succeeded");
    const audit = await h.client.audit({ action: "mirror.provider" });
    expect(audit.entries[0]).toMatchObject({ actor: "api", outcome: "ok" });
    expect(audit.entries[0]?.peer).toMatch(/127\.0\.0\.1/);
    expect(audit.entries[0]?.detail).toContain(`job ${id} created`);
  });

  it("lists jobs the CLI ran, and the typed client reads them", async () => {
    const cli = await runLarder(
      [
        "mirror",
        "provider",
        "registry.terraform.io/fixture/beta",
        "--version",
        "0.4.0",
        "--platform",
        "linux_amd64",
        "--data-dir",
        h.dataDir,
        "--upstream",
        `registry.terraform.io=${h.fixture.url}`,
      ],
      {},
    );
    expect(cli.code, cli.stderr).toBe(0);
    const list = jobListSchema.parse(await (await h.api("/api/jobs")).json());
    expect(list.jobs[0]?.what).toContain("fixture/beta");
    expect((await h.client.jobs()).jobs.length).toBe(list.jobs.length);
  });

  it.each([
    [{ kind: "provider" }, "address", "name a provider"],
    [{ kind: "nope", address: "a/b" }, "kind", ""],
    [{ kind: "provider", address: "fixture/alpha", platforms: ["linux"] }, "platforms.0", "os_arch"],
    [{ kind: "provider", address: "fixture/alpha", versions: [""] }, "versions.0", "may not be empty"],
    [{ kind: "provider", address: "fixture/alpha", colour: "red" }, "", "colour"],
    [{ kind: "module", address: "a/b/c", clients: ["vim"] }, "clients.0", ""],
  ])("refuses %j with 400 naming the field", async (body, path, words) => {
    const response = await h.api("/api/jobs", { method: "POST", json: body });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as {
      errors: string[];
      fields: { path: string; message: string }[];
    };
    expect(answer.fields.map((field) => field.path)).toContain(path);
    expect(answer.errors.join(" ")).toContain(words);
  });

  it("answers what upstream says about an unknown provider, and creates no job", async () => {
    const before = (await h.client.jobs()).jobs.length;
    const error = await h.client
      .startJob({ kind: "provider", address: "fixture/nothing-here" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).status).toBe(404);
    expect((error as AdminApiError).message).toContain("fixture/nothing-here");
    expect((await h.client.jobs()).jobs.length).toBe(before);
    const failed = await h.client.audit({ action: "mirror.provider" });
    expect(failed.entries[0]).toMatchObject({ outcome: "failed" });
  });

  it("mirrors a module and the providers it requires as one job", async () => {
    const { id } = await h.client.startJob({
      kind: "module",
      address: "registry.terraform.io/fixture/app/fixture",
      platforms: ["linux_amd64"],
    });
    const done = await untilJob(id, "succeeded");
    expect(done.items.some((item) => item.kind === "module-version")).toBe(true);
  });
});

describe("POST /api/jobs/:id/{pause,resume,cancel,retry}", () => {
  it("pauses and resumes a running job here, keeping the bytes; cancels and retries one item", async () => {
    slow("2.1.0-beta1", "linux_amd64", 4);
    slow("2.1.0-beta1", "windows_amd64", 4);
    const { id } = await h.client.startJob({
      kind: "provider",
      address: "registry.terraform.io/fixture/alpha",
      versions: ["2.1.0-beta1"],
      platforms: ["linux_amd64", "windows_amd64"],
    });
    await eventually(async () => {
      const job = await detail(id);
      return job.items.some((item) => item.bytesDone > 0) ? job : undefined;
    }, "bytes received");
    const paused = await h.client.controlJob(id, "pause");
    expect(paused.runner).toBe("here");
    const stopped = await untilJob(id, "paused");
    expect(stopped.items.every((item) => item.state.status === "paused")).toBe(true);

    const [first, second] = stopped.items;
    if (!first || !second) throw new Error("two items expected");
    const cancelled = await h.client.controlJob(id, "cancel", first.id);
    expect(cancelled.job.items.cancelled).toBe(1);

    h.fixture.slowDown(
      archivePath(h.fixture.packageOf("fixture", "alpha", "2.1.0-beta1", "windows_amd64")),
      0,
    );
    h.fixture.slowDown(archivePath(h.fixture.packageOf("fixture", "alpha", "2.1.0-beta1", "linux_amd64")), 0);
    const resumed = await h.client.controlJob(id, "resume");
    expect(resumed.runner).toBe("here");
    const afterResume = await untilJob(id, "cancelled");
    expect(afterResume.items.map((item) => item.state.status)).toEqual(["cancelled", "succeeded"]);

    await h.client.controlJob(id, "retry", first.id);
    const all = await untilJob(id, "succeeded");
    expect(all.items.map((item) => item.state.status)).toEqual(["succeeded", "succeeded"]);
    const actions = (await h.client.audit({ actor: "api" })).entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["job.pause", "job.cancel", "job.resume", "job.retry"]));
  });

  it("answers 404 for an unknown job, 400 for a bad action or item, 409 for an impossible move", async () => {
    expect((await h.api("/api/jobs/9999")).status).toBe(404);
    expect((await h.api("/api/jobs/abc")).status).toBe(400);
    const bad = await h.api("/api/jobs/1/explode", { method: "POST", json: {} });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: { path: string }[] }).fields[0]?.path).toBe("action");
    const item = await h.api("/api/jobs/1/pause", { method: "POST", json: { item: "x" } });
    expect(item.status).toBe(400);
    // Job 1 succeeded: a finished item cannot be paused.
    const conflict = await h.api("/api/jobs/1/pause", { method: "POST", json: {} });
    expect([200, 409]).toContain(conflict.status);
  });
});

describe("one data directory, the CLI and the API at once", () => {
  it("runs a CLI mirror and an API job side by side; both are stored and both are listed", async () => {
    slow("1.1.0", "windows_amd64", 2);
    const api = h.client.startJob({
      kind: "provider",
      address: "registry.terraform.io/fixture/alpha",
      versions: ["1.1.0"],
      platforms: ["windows_amd64"],
    });
    const cli = runLarder([
      "mirror",
      "provider",
      "registry.terraform.io/fixture/alpha",
      ...["--version", "2.0.0", "--platform", "windows_amd64"],
      ...["--data-dir", h.dataDir, "--upstream", `registry.terraform.io=${h.fixture.url}`],
    ]);
    const [{ id }, cliResult] = await Promise.all([api, cli]);
    expect(cliResult.code, cliResult.stderr).toBe(0);
    await untilJob(id, "succeeded");
    const alpha = (await h.client.inventory()).hosts
      .find((host) => host.host === "registry.terraform.io")
      ?.providers.find((provider) => provider.type === "alpha");
    const windows = alpha?.versions.filter((version) =>
      version.platforms.some((platform) => platform.os === "windows"),
    );
    expect(windows?.map((version) => version.version)).toEqual(expect.arrayContaining(["2.0.0", "1.1.0"]));
    const whats = (await h.client.jobs()).jobs.slice(0, 2).map((job) => job.what);
    expect(whats.join(" ")).toContain("1.1.0");
    expect(whats.join(" ")).toContain("2.0.0");
  });
});
