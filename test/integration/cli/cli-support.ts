// Shared helpers for the CLI integration tests: they drive the built `larder` binary as a user would.
import { createServer, type AddressInfo } from "node:net";
import { expect } from "vitest";
import { z } from "zod";
import type { FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

/** `--upstream registry.terraform.io=<fixture>`: every default-host address resolves to the fixture. */
export function upstreamArgs(fixture: FixtureUpstream): string[] {
  return ["--upstream", `registry.terraform.io=${fixture.url}`];
}

/** The exact shape `larder list --json` prints; `.strict()` so an unexpected field fails a test. */
export const listJsonSchema = z
  .object({
    providers: z.array(
      z
        .object({
          host: z.string(),
          namespace: z.string(),
          type: z.string(),
          version: z.string(),
          platforms: z.array(z.string()),
          signed: z.boolean(),
          totalSize: z.number().int().nonnegative(),
        })
        .strict(),
    ),
    modules: z.array(
      z
        .object({
          host: z.string(),
          namespace: z.string(),
          name: z.string(),
          system: z.string(),
          version: z.string(),
          size: z.number().int().nonnegative(),
          source: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

/** One provider entry of `larder list --json`. */
export type ListedProvider = z.infer<typeof listJsonSchema>["providers"][number];

/** One module entry of `larder list --json`. */
export type ListedModule = z.infer<typeof listJsonSchema>["modules"][number];

/** Runs `larder list --json` on a data directory and returns the parsed entries. */
export async function listStored(dataDir: string): Promise<ListedProvider[]> {
  const result = await runLarder(["list", "--json", "--data-dir", dataDir]);
  expect(result.code, result.stderr).toBe(0);
  return listJsonSchema.parse(JSON.parse(result.stdout)).providers;
}

/** "<namespace>/<type> <version> <platforms…>" per stored version, sorted: easy to compare in one assertion. */
export async function storedSummary(dataDir: string): Promise<string[]> {
  const providers = await listStored(dataDir);
  return providers
    .map(
      (entry) => `${entry.namespace}/${entry.type} ${entry.version} ${[...entry.platforms].sort().join(",")}`,
    )
    .sort();
}

/**
 * Asserts a failed run: non-zero exit and exactly one `larder: …` line on stderr, the last one, matching
 * every pattern. Returns that line.
 */
export function expectOneLineFailure(result: CliResult, ...patterns: RegExp[]): string {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).not.toBe(0);
  expect(result.code).not.toBeNull();
  const lines = result.stderr.trimEnd().split("\n");
  const reasons = lines.filter((line) => line.startsWith("larder: "));
  expect(reasons, result.stderr).toHaveLength(1);
  const reason = reasons[0] ?? "";
  expect(lines.at(-1)).toBe(reason);
  for (const pattern of patterns) expect(reason).toMatch(pattern);
  return reason;
}

/** A port that nothing listens on (bound once by us, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

/** Temp data directories made during a test file, removed together. */
export class TempDirs {
  private readonly dirs: TempDir[] = [];

  constructor(private readonly prefix: string) {}

  async make(): Promise<string> {
    const dir = await makeTempDir(this.prefix);
    this.dirs.push(dir);
    return dir.path;
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((dir) => dir.remove()));
  }
}

/** The fixture requests made since the last clear, without service discovery (each new process does it once). */
export function requestsBeyondDiscovery(fixture: FixtureUpstream): string[] {
  return fixture.requests.filter((request) => request !== "GET /.well-known/terraform.json");
}
