// `larder serve --pull-through` and `larder mirror` on one data directory, fetching the same provider package or
// module version at the same time: both end well, it is stored once, and no SQLite message reaches anyone.
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, startLarderServe, type CliResult, type ServeProcess } from "../../helpers/larder-cli.js";
import { listJsonSchema, TempDirs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-serve-mirror-race");
const running: ServeProcess[] = [];

/** Archives (about 360 B) paced to last over 2 s: long enough for the other process to start and reach upstream. */
const ARCHIVE_BYTES_PER_SECOND = 150;

const subjects = [
  {
    kind: "provider package",
    archive: "/releases/fixture/alpha/1.0.0/terraform-provider-alpha_1.0.0_linux_amd64.zip",
    pullPath: "/v1/providers/registry.terraform.io/fixture/alpha/1.0.0/download/linux/amd64",
    mirror: [
      ...["mirror", "provider", "registry.terraform.io/fixture/alpha", "--version", "1.0.0"],
      ...["--platform", "linux_amd64"],
    ],
    table: "provider_packages",
    /** What the serve side answers the download: JSON with download_url. */
    answers: 200,
    stored: "fixture/alpha 1.0.0 linux_amd64",
  },
  {
    kind: "module version",
    archive: "/archives/flat-1.0.0.zip",
    pullPath: "/v1/modules/registry.terraform.io/fixture/flat/fixture/1.0.0/download",
    mirror: [
      ...["mirror", "module", "registry.terraform.io/fixture/flat/fixture", "--version", "1.0.0"],
      "--no-dependencies",
    ],
    table: "module_versions",
    /** 204 with X-Terraform-Get. */
    answers: 204,
    stored: "fixture/flat/fixture 1.0.0",
  },
] as const;

/** Polls `condition` every 25 ms for up to 30 s. */
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

const cases = subjects.flatMap((subject) =>
  (["serve", "mirror"] as const).map((first) => ({ ...subject, first })),
);

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

afterEach(async () => {
  fixture.slowDown("/releases/", 0);
  fixture.slowDown("/archives/", 0);
  await Promise.all(running.splice(0).map((serve) => serve.stop()));
  await dirs.removeAll();
});

/** What the serve side answers, as a terraform client would ask: the download answer, then the archive. */
async function pull(serve: ServeProcess, pullPath: string): Promise<{ status: number; archive: number }> {
  const answer = await fetch(`${serve.httpUrl}${pullPath}`);
  let location: string | undefined;
  if (answer.status === 200) location = ((await answer.json()) as { download_url: string }).download_url;
  else if (answer.status === 204) location = answer.headers.get("x-terraform-get") ?? undefined;
  else throw new Error(`serve answered ${answer.status}: ${await answer.text()}`);
  if (location === undefined) return { status: answer.status, archive: 0 };
  const archive = await fetch(new URL(location, serve.httpUrl));
  await archive.arrayBuffer();
  return { status: answer.status, archive: archive.status };
}

function expectNoSqliteText(result: CliResult): void {
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/SQLITE|UNIQUE constraint|constraint failed/i);
}

describe("serve --pull-through and mirror racing on one data dir", () => {
  it.each(cases)(
    "$kind, $first starting its download first",
    async ({ archive, pullPath, mirror, table, answers, stored, first }: (typeof cases)[number]) => {
      const dataDir = await dirs.make();
      const upstream = ["--upstream", `registry.terraform.io=${fixture.url}`];
      const serve = await startLarderServe([
        ...["--data-dir", dataDir, "--port", "0", "--https-port", "0", "--pull-through", ...upstream],
      ]);
      running.push(serve);
      fixture.clearRequests();
      fixture.slowDown(archive, ARCHIVE_BYTES_PER_SECOND);
      // The second starts once the first is downloading the archive, and must be asking upstream itself while that
      // download still runs. (Their archive transfers then take turns: a lock beside the partial file serialises
      // them across processes; the race is in storing the package twice.)
      let before = 0;
      const downloading = async (): Promise<void> => {
        await waitUntil(() => fixture.inFlight(archive) > 0, `${archive} is being downloaded`);
        before = fixture.requests.length;
      };
      const overlapping = async (): Promise<void> => {
        await waitUntil(() => fixture.requests.length > before, "the second process asks upstream");
        expect(fixture.inFlight(archive), "the first download still runs").toBe(1);
      };

      let pulled: Promise<{ status: number; archive: number }>;
      let mirrored: Promise<CliResult>;
      if (first === "serve") {
        pulled = pull(serve, pullPath);
        await downloading();
        mirrored = runLarder([...mirror, "--data-dir", dataDir, ...upstream]);
        await overlapping();
      } else {
        mirrored = runLarder([...mirror, "--data-dir", dataDir, ...upstream]);
        await downloading();
        pulled = pull(serve, pullPath);
        await overlapping();
      }
      const [mirrorResult, pullResult] = await Promise.all([mirrored, pulled]);

      expect(mirrorResult.code, `${mirrorResult.stdout}\n${mirrorResult.stderr}`).toBe(0);
      expect(mirrorResult.stdout).toMatch(/failed 0\./);
      expectNoSqliteText(mirrorResult);
      expect(pullResult.archive).toBe(200);
      expect(pullResult.status).toBe(answers);

      const listed = await runLarder(["list", "--json", "--data-dir", dataDir]);
      expect(listed.code, listed.stderr).toBe(0);
      const { providers, modules } = listJsonSchema.parse(JSON.parse(listed.stdout));
      const listedSummary = [
        ...providers.map(
          (entry) => `${entry.namespace}/${entry.type} ${entry.version} ${entry.platforms.join()}`,
        ),
        ...modules.map((entry) => `${entry.namespace}/${entry.name}/${entry.system} ${entry.version}`),
      ];
      expect(listedSummary).toEqual([stored]);

      running.splice(running.indexOf(serve), 1);
      const served = await serve.stop();
      expectNoSqliteText(served);
      const db = new Database(join(dataDir, "larder.db"), { readonly: true });
      try {
        expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 1 });
      } finally {
        db.close();
      }
    },
  );
});
