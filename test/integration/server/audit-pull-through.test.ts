import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { startPullThrough, stopPullThrough, type PullThroughServer } from "./pull-through-server.js";

const AGENT = "Terraform/1.9.0 (+https://www.terraform.io)";

describe("serve --pull-through: the audit log", () => {
  let fixture: FixtureUpstream;
  const running: PullThroughServer[] = [];

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
  });
  afterAll(async () => {
    await fixture.stop();
  });
  afterEach(async () => {
    for (const entry of running.splice(0)) await stopPullThrough(entry);
  });

  async function start(): Promise<PullThroughServer> {
    const entry = await startPullThrough(fixture, 60_000);
    running.push(entry);
    return entry;
  }

  const get = (url: string): Promise<Response> => fetch(url, { headers: { "user-agent": AGENT } });

  it("records a fetched provider package with the client's address and User-Agent, and a hit not at all", async () => {
    const { larder, server } = await start();
    const path = `${server.httpUrl}/v1/providers/registry.terraform.io/fixture/alpha/1.1.0/download/linux/amd64`;
    expect((await get(path)).status).toBe(200);
    expect((await get(path)).status).toBe(200);
    const { entries, nextBefore } = larder.audit.page({ limit: 10 });
    expect(nextBefore).toBeNull();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: "pull-through",
      userAgent: AGENT,
      action: "pull-through.provider",
      target: expect.stringContaining("fixture/alpha 1.1.0 linux_amd64") as unknown,
      outcome: "ok",
      detail: null,
    });
    expect(entries[0]?.peer).toMatch(/127\.0\.0\.1$/);
  });

  it("records a refused package as failed, with the reason", async () => {
    const { larder, server } = await start();
    const answer = await get(
      `${server.httpUrl}/v1/providers/registry.terraform.io/hostile/tampered-archive/1.0.0/download/linux/amd64`,
    );
    expect(answer.status).toBe(422);
    expect(larder.audit.page({ limit: 10 }).entries).toEqual([
      expect.objectContaining({
        action: "pull-through.provider",
        outcome: "failed",
        userAgent: AGENT,
        detail: expect.stringMatching(/tampered with; nothing was stored/) as unknown,
      }),
    ]);
  });

  it("records a network-mirror pull and a module fetch", async () => {
    const { larder, server } = await start();
    const pull = await fetch(
      `${server.httpUrl}/providers/registry.terraform.io/fixture/alpha/1.0.0/pull/darwin_arm64`,
      { headers: { "user-agent": AGENT }, redirect: "manual" },
    );
    expect(pull.status).toBe(302);
    const module = await get(
      `${server.httpUrl}/v1/modules/registry.terraform.io/fixture/flat/fixture/1.0.0/download`,
    );
    expect(module.status).toBe(204);
    const entries = larder.audit.page({ limit: 10, actor: "pull-through" }).entries;
    expect(entries.map((entry) => [entry.action, entry.outcome, entry.userAgent])).toEqual([
      ["pull-through.module", "ok", AGENT],
      ["pull-through.provider", "ok", AGENT],
    ]);
    expect(entries[0]?.target).toBe("registry.terraform.io/fixture/flat/fixture 1.0.0");
  });
});
