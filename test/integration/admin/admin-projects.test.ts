// `/api/projects` (issue 16) over a real server and the fixture registry: a folder project checked against the
// mirror, planned with sizes, mirrored as one job and then green; an upload kept in the data dir and forgotten
// again; every refusal (a missing folder, a remembered path, a traversal, a file init does not read) at its field.
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiErrorSchema,
  jobDetailSchema,
  projectListSchema,
  projectPlanSchema,
  projectSchema,
  type Project,
} from "../../../shared/api/index.js";
import { SseReader } from "../../helpers/sse-reader.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { eventually, startAdminHarness, type AdminHarness } from "./admin-support.js";

const TF = "registry.terraform.io";
const MAIN_TF = `terraform {
  required_providers {
    alpha = { source = "fixture/alpha", version = ">= 1.0.0, < 2.0.0" }
  }
}

module "flat" {
  source  = "fixture/flat/fixture"
  version = "~> 1.1.0"
}
`;

let h: AdminHarness;
let temp: TempDir;

beforeAll(async () => {
  h = await startAdminHarness("admin-projects", { seed: false });
  temp = await makeTempDir("admin-projects");
});

afterAll(async () => {
  await h.stop();
  await temp.remove();
});

async function newFolder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(temp.path, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

async function refusal(response: Response): Promise<{ status: number; fields: string[]; text: string }> {
  const body = apiErrorSchema.parse(await response.json());
  return {
    status: response.status,
    fields: (body.fields ?? []).map((field) => field.path),
    text: body.errors.join(" "),
  };
}

async function project(id: number): Promise<Project> {
  const response = await h.api(`/api/projects/${id}`);
  expect(response.status).toBe(200);
  return projectSchema.parse(await response.json());
}

describe("a folder project", () => {
  it("is checked, planned with sizes, mirrored as one job, then works offline", async () => {
    const events = await SseReader.open(`${h.server.httpUrl}/api/events`, {
      authorization: `Bearer ${h.token}`,
    });
    const dir = await newFolder("app", { "main.tf": MAIN_TF });
    const added = await h.api("/api/projects", {
      method: "POST",
      json: { kind: "folder", path: dir, platforms: ["linux_amd64"] },
    });
    expect(added.status).toBe(201);
    const created = projectSchema.parse(await added.json());
    await events.waitFor((event) => event.event === "projects");
    expect(created).toMatchObject({ name: "app", kind: "folder", path: dir, status: { state: "missing" } });
    expect(created.checkedFor).toEqual({ clients: ["terraform"], platforms: ["linux_amd64"] });
    const [check] = created.checks;
    expect(check?.providers).toEqual([
      expect.objectContaining({
        address: `${TF}/fixture/alpha`,
        constraints: ">= 1.0.0, < 2.0.0",
        version: null,
        platforms: [{ platform: "linux_amd64", stored: false, size: null }],
        problem: "not stored",
        fix: `larder mirror provider ${TF}/fixture/alpha --version '>= 1.0.0, < 2.0.0' --platform linux_amd64 --data-dir ${h.dataDir}`,
      }),
    ]);
    expect(check?.modules[0]).toMatchObject({ address: `${TF}/fixture/flat/fixture`, stored: null });
    expect(created.mirrorCommand).toBe(
      `larder mirror project ${dir} --for terraform --platform linux_amd64 --data-dir ${h.dataDir}`,
    );

    const planned = await h.api(`/api/projects/${created.id}/plan`, { method: "POST", json: {} });
    expect(planned.status).toBe(200);
    const plan = projectPlanSchema.parse(await planned.json());
    const alpha = plan.items.find((item) => item.label.includes("fixture/alpha"));
    expect(alpha).toMatchObject({ kind: "provider-package", stored: false, refusal: null });
    expect(alpha?.label).toContain("1.1.0");
    expect(alpha?.size).toBeGreaterThan(0);
    // What a module requires can only be read from it: planning stores the registry modules, not the providers.
    const flat = plan.items.find((item) => item.kind === "module-version");
    expect(flat).toMatchObject({ stored: true });
    expect(flat?.size).toBeGreaterThan(0);
    expect(plan.totals).toMatchObject({ items: plan.items.length, stored: 1 });
    expect(plan.totals.bytesToDownload).toBe(alpha?.size);
    expect((await project(created.id)).status.state).toBe("missing");

    const mirrored = await h.api(`/api/projects/${created.id}/mirror`, { method: "POST", json: {} });
    expect(mirrored.status).toBe(201);
    const { id: jobId } = (await mirrored.json()) as { id: number };
    await eventually(async () => {
      const job = jobDetailSchema.parse(await (await h.api(`/api/jobs/${jobId}`)).json());
      return job.job.state.status === "succeeded" ? job : undefined;
    }, "the project's job");
    expect(jobDetailSchema.parse(await (await h.api(`/api/jobs/${jobId}`)).json()).job.kind).toBe(
      "mirror-project",
    );
    await events.waitFor((event) => event.event === "inventory");
    const after = await project(created.id);
    expect(after.status).toEqual({ state: "ok" });
    const provider = after.checks[0]?.providers[0];
    expect(provider?.version).toBe("1.1.0");
    expect(provider?.platforms[0]?.stored).toBe(true);
    expect(provider?.platforms[0]?.size).toBe(alpha?.size);
    expect(after.checks[0]?.modules[0]?.size).toBeGreaterThan(0);
    events.close();

    const audit = await h.client.audit({ action: "mirror.project" });
    expect(audit.entries[0]).toMatchObject({ actor: "api", target: dir, outcome: "ok" });
  });

  it("follows the folder: a new requirement makes it missing again at the next look", async () => {
    const dir = await newFolder("grows", { "main.tf": "terraform {}\n" });
    const created = projectSchema.parse(
      await (await h.api("/api/projects", { method: "POST", json: { kind: "folder", path: dir } })).json(),
    );
    expect(created.status).toEqual({ state: "ok" });
    await writeFile(
      join(dir, "more.tf"),
      'terraform {\n  required_providers {\n    gamma = { source = "fixture/gamma" }\n  }\n}\n',
    );
    // Within the second the server reuses a check, a changed folder may still read as before.
    const again = await eventually(async () => {
      const current = await project(created.id);
      return current.status.state === "missing" ? current : undefined;
    }, "the new requirement");
    expect(again.checks[0]?.providers.map((entry) => entry.address)).toContain(`${TF}/fixture/gamma`);
  });

  it("says what is wrong with a folder, at the path field", async () => {
    const missing = await refusal(
      await h.api("/api/projects", {
        method: "POST",
        json: { kind: "folder", path: join(temp.path, "nowhere") },
      }),
    );
    expect(missing).toMatchObject({ status: 400, fields: ["path"] });
    expect(missing.text).toContain("is not a folder on the machine Larder runs on");

    const parent = await newFolder("monorepo", { "live/main.tf": "terraform {}\n" });
    const noConfig = await refusal(
      await h.api("/api/projects", { method: "POST", json: { kind: "folder", path: parent } }),
    );
    expect(noConfig).toMatchObject({ status: 400, fields: ["path"] });
    expect(noConfig.text).toContain(`${parent} holds no .tf or .tf.json file of its own`);

    const relative = await refusal(
      await h.api("/api/projects", { method: "POST", json: { kind: "folder", path: "app" } }),
    );
    expect(relative).toMatchObject({ status: 400, fields: ["path"] });

    const dir = await newFolder("twice", { "main.tf": "terraform {}\n" });
    await h.api("/api/projects", { method: "POST", json: { kind: "folder", path: dir } });
    const twice = await refusal(
      await h.api("/api/projects", { method: "POST", json: { kind: "folder", path: dir } }),
    );
    expect(twice).toMatchObject({ status: 409, fields: ["path"] });
    expect(twice.text).toContain('is already the project "twice"');
  });

  it("changes what it is checked for, and answers 404 for a project that does not exist", async () => {
    const dir = await newFolder("retarget", { "main.tf": MAIN_TF });
    const created = projectSchema.parse(
      await (await h.api("/api/projects", { method: "POST", json: { kind: "folder", path: dir } })).json(),
    );
    const updated = await h.api(`/api/projects/${created.id}`, {
      method: "PUT",
      json: {
        name: "Retargeted",
        platforms: ["darwin_arm64", "linux_amd64"],
        reachable: ["Git.Example.com"],
      },
    });
    expect(updated.status).toBe(200);
    const body = projectSchema.parse(await updated.json());
    expect(body).toMatchObject({
      name: "Retargeted",
      platforms: ["darwin_arm64", "linux_amd64"],
      reachable: ["git.example.com"],
    });
    expect(body.checks[0]?.providers[0]?.platforms.map((entry) => entry.platform)).toEqual([
      "darwin_arm64",
      "linux_amd64",
    ]);
    const badPlatform = await refusal(
      await h.api(`/api/projects/${created.id}`, { method: "PUT", json: { platforms: ["linux"] } }),
    );
    expect(badPlatform).toMatchObject({ status: 400, fields: ["platforms.0"] });
    expect((await h.api("/api/projects/9999")).status).toBe(404);
    expect((await h.api("/api/projects/9999/plan", { method: "POST", json: {} })).status).toBe(404);
  });
});

describe("an uploaded project", () => {
  it("keeps only the files under the data dir, checks them, and removes them when forgotten", async () => {
    const added = await h.api("/api/projects", {
      method: "POST",
      json: {
        kind: "upload",
        name: "From the browser",
        files: [
          { path: "main.tf", content: `${MAIN_TF}module "net" {\n  source = "./modules/net"\n}\n` },
          {
            path: "modules/net/net.tf.json",
            content: JSON.stringify({
              terraform: { required_providers: { beta: { source: "fixture/beta", version: "0.3.0" } } },
            }),
          },
          { path: ".terraform.lock.hcl", content: "# empty\n" },
        ],
      },
    });
    expect(added.status).toBe(201);
    const created = projectSchema.parse(await added.json());
    expect(created.kind).toBe("upload");
    expect(created.path.startsWith(join(h.dataDir, "projects"))).toBe(true);
    expect((await readdir(created.path)).sort()).toEqual([".terraform.lock.hcl", "main.tf", "modules"]);
    expect(created.checks[0]?.providers.map((entry) => entry.address)).toContain(`${TF}/fixture/beta`);

    const listed = projectListSchema.parse(await (await h.api("/api/projects")).json());
    expect(listed.projects.map((entry) => entry.name)).toContain("From the browser");

    const removed = await h.api(`/api/projects/${created.id}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect(await stat(created.path).catch(() => undefined)).toBeUndefined();
    expect((await h.api(`/api/projects/${created.id}`)).status).toBe(404);
  });

  it("refuses paths outside the project, files init does not read, and nothing at all, naming the field", async () => {
    const upload = (files: { path: string; content: string }[]): Promise<Response> =>
      h.api("/api/projects", { method: "POST", json: { kind: "upload", name: "bad", files } });
    for (const path of ["../escape.tf", "/etc/x.tf", "a/../../b.tf", "C:/x.tf", "a\\b.tf"]) {
      const refused = await refusal(await upload([{ path, content: "" }]));
      expect(refused.status, path).toBe(400);
      expect(new Set(refused.fields), path).toEqual(new Set(["files.0.path"]));
    }
    const script = await refusal(await upload([{ path: "deploy.sh", content: "rm -rf /" }]));
    expect(script.text).toContain("only .tf, .tf.json and .terraform.lock.hcl files are read");
    const nested = await refusal(await upload([{ path: "live/main.tf", content: "terraform {}\n" }]));
    expect(nested).toMatchObject({ status: 400, fields: ["files"] });
    expect(nested.text).toContain("no .tf or .tf.json file at its top");
    const none = await refusal(await upload([]));
    expect(none).toMatchObject({ status: 400, fields: ["files"] });
    const twice = await refusal(
      await upload([
        { path: "main.tf", content: "" },
        { path: "main.tf", content: "" },
      ]),
    );
    expect(twice).toMatchObject({ status: 400, fields: ["files"] });
    const big = await refusal(await upload([{ path: "main.tf", content: "#".repeat(9 * 1024 * 1024) }]));
    expect(big).toMatchObject({ status: 400, fields: ["files"] });
    // Nothing refused was kept.
    const kept = await readdir(join(h.dataDir, "projects")).catch(() => []);
    expect(kept.filter((name) => name.startsWith(".staging"))).toEqual([]);
    const names = projectListSchema
      .parse(await (await h.api("/api/projects")).json())
      .projects.map((entry) => entry.name);
    expect(names).not.toContain("bad");
  });
});

describe("a server running --offline", () => {
  it("checks a project but refuses to plan or mirror it, saying why", async () => {
    const offline = await startAdminHarness("admin-projects-offline", {
      seed: false,
      server: { offline: true },
    });
    try {
      const dir = await newFolder("offline", { "main.tf": MAIN_TF });
      const created = projectSchema.parse(
        await (
          await offline.api("/api/projects", { method: "POST", json: { kind: "folder", path: dir } })
        ).json(),
      );
      expect(created.status.state).toBe("missing");
      for (const action of ["plan", "mirror"]) {
        const refused = await refusal(
          await offline.api(`/api/projects/${created.id}/${action}`, { method: "POST", json: {} }),
        );
        expect(refused.status, action).toBe(409);
        expect(refused.text).toContain("This server runs with --offline and contacts no registry");
      }
    } finally {
      await offline.stop();
    }
  });
});
