// Every small document the mirror job reads, broken once in transit: the body cut short of its Content-Length,
// or stalled mid-way past the small-body stall limit. Each is fetched again and the mirror ends well.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, listJsonSchema, TempDirs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-document-faults");

/** The client gives up on a silent small body after this long (LARDER_HTTP_STALL_MS)… */
const STALL_LIMIT_MS = 300;
/** …while the fixture keeps it silent far longer, so only a retry can end the run well. */
const FIXTURE_STALL_MS = 10_000;
/** Bytes of each body sent before the fault: every document here is longer. */
const BYTES_BEFORE_FAULT = 10;

type Target = "provider" | "module";

const RELEASES = "/releases/fixture/alpha/1.0.0/terraform-provider-alpha_1.0.0";
// Modules are asked of the opentofu-registry flavour: its download answer is a 200 JSON body (the plain
// fixture's is a bodiless 204), so that body can be broken too.
const MODULES = "/opentofu-registry/v1/modules/fixture/flat/fixture";

const documents: readonly { readonly kind: string; readonly target: Target; readonly path: string }[] = [
  { kind: "service discovery", target: "provider", path: "/.well-known/terraform.json" },
  { kind: "provider versions", target: "provider", path: "/v1/providers/fixture/alpha/versions" },
  {
    kind: "provider download JSON",
    target: "provider",
    path: "/v1/providers/fixture/alpha/1.0.0/download/linux/amd64",
  },
  { kind: "SHA256SUMS", target: "provider", path: `${RELEASES}_SHA256SUMS` },
  { kind: "SHA256SUMS.sig", target: "provider", path: `${RELEASES}_SHA256SUMS.sig` },
  { kind: "module versions", target: "module", path: `${MODULES}/versions` },
  { kind: "module download answer", target: "module", path: `${MODULES}/1.0.0/download` },
];

const cases = documents.flatMap((document) =>
  (["cut", "stall"] as const).map((fault) => ({ ...document, fault })),
);

/** Mirrors fixture/alpha 1.0.0 linux_amd64 or fixture/flat/fixture 1.0.0 into a fresh data dir. */
async function mirror(target: Target): Promise<{ result: CliResult; dataDir: string }> {
  const dataDir = await dirs.make();
  const args =
    target === "provider"
      ? [
          ...["mirror", "provider", "registry.terraform.io/fixture/alpha", "--version", "1.0.0"],
          ...["--platform", "linux_amd64", "--upstream", `registry.terraform.io=${fixture.url}`],
        ]
      : [
          ...["mirror", "module", "registry.terraform.io/fixture/flat/fixture", "--version", "1.0.0"],
          "--no-dependencies",
          ...["--upstream", `registry.terraform.io=${fixture.urlFor("opentofu-registry")}`],
        ];
  const result = await runLarder([...args, "--data-dir", dataDir], {
    LARDER_HTTP_STALL_MS: String(STALL_LIMIT_MS),
  });
  return { result, dataDir };
}

/** "<namespace>/<name> <version>" of everything stored. */
async function stored(dataDir: string): Promise<string[]> {
  const result = await runLarder(["list", "--json", "--data-dir", dataDir]);
  expect(result.code, result.stderr).toBe(0);
  const listed = listJsonSchema.parse(JSON.parse(result.stdout));
  return [
    ...listed.providers.map((entry) => `${entry.namespace}/${entry.type} ${entry.version}`),
    ...listed.modules.map((entry) => `${entry.namespace}/${entry.name}/${entry.system} ${entry.version}`),
  ];
}

const expectedStored: Record<Target, string[]> = {
  provider: ["fixture/alpha 1.0.0"],
  module: ["fixture/flat/fixture 1.0.0"],
};

/** How often an unbroken run asks for each path, per target: a broken one asks once more for the broken path. */
const cleanCounts = new Map<Target, Map<string, number>>();

function countOf(path: string): number {
  return fixture.requests.filter((request) => request === `GET ${path}`).length;
}

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  for (const target of ["provider", "module"] as const) {
    fixture.clearRequests();
    const { result } = await mirror(target);
    expect(result.code, result.stderr).toBe(0);
    const paths = documents.filter((document) => document.target === target).map(({ path }) => path);
    cleanCounts.set(target, new Map(paths.map((path) => [path, countOf(path)])));
  }
  await dirs.removeAll();
}, 60_000);

afterAll(async () => {
  await fixture.stop();
});

beforeEach(() => {
  fixture.clearRequests();
});

afterEach(async () => {
  await dirs.removeAll();
});

describe("larder mirror: a small document broken once in transit is fetched again", () => {
  it.each(cases)("$kind, $fault", async ({ target, path, fault }: (typeof cases)[number]) => {
    const clean = cleanCounts.get(target)?.get(path) ?? 0;
    expect(clean, `an unbroken ${target} mirror asks for ${path}`).toBeGreaterThan(0);
    if (fault === "cut") fixture.resetAfter(path, BYTES_BEFORE_FAULT);
    else fixture.stallAfter(path, BYTES_BEFORE_FAULT, FIXTURE_STALL_MS);
    const started = Date.now();
    const { result, dataDir } = await mirror(target);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/stored 1, already present 0, failed 0\./i);
    expect(await stored(dataDir)).toEqual(expectedStored[target]);
    expect(countOf(path)).toBe(clean + 1);
    // The stalled attempt was dropped at the client's limit, not waited out.
    if (fault === "stall") expect(Date.now() - started).toBeLessThan(FIXTURE_STALL_MS);
  });
});

describe("LARDER_HTTP_STALL_MS", () => {
  it("refuses a value that is not a whole number of milliseconds, before any request", async () => {
    const dataDir = await dirs.make();
    const result = await runLarder(
      [
        ...["mirror", "provider", "registry.terraform.io/fixture/alpha", "--version", "1.0.0"],
        ...["--upstream", `registry.terraform.io=${fixture.url}`, "--data-dir", dataDir],
      ],
      { LARDER_HTTP_STALL_MS: "soon" },
    );
    expectOneLineFailure(result, /Invalid LARDER_HTTP_STALL_MS "soon"/);
    expect(fixture.requests).toEqual([]);
  });
});
