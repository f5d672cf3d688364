import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorSchema, auditPageSchema, type AuditEntry } from "../../../shared/api/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness("admin-audit", { seed: false });
  for (const concurrency of [2, 3, 4, 5, 6]) {
    const response = await h.api("/api/settings", {
      method: "PUT",
      json: { concurrency },
      headers: { "user-agent": "audit-test" },
    });
    expect(response.status).toBe(200);
  }
  const cli = await runLarder(["config", "set", "perHostConcurrency", "3", "--data-dir", h.dataDir]);
  expect(cli.code, cli.stderr).toBe(0);
});
afterAll(async () => {
  await h.stop();
});

async function page(query: string): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const response = await h.api(`/api/audit${query}`);
  expect(response.status).toBe(200);
  return auditPageSchema.parse(await response.json());
}

describe("GET /api/audit", () => {
  it("shows the CLI's and the API's changes, newest first", async () => {
    const { entries, nextBefore } = await page("");
    expect(nextBefore).toBeNull();
    expect(entries.map((entry) => entry.id)).toEqual(
      [...entries.map((entry) => entry.id)].sort((a, b) => b - a),
    );
    expect(entries[0]).toMatchObject({
      actor: "cli",
      action: "config.set",
      target: "perHostConcurrency",
      outcome: "ok",
    });
    expect(entries[1]).toMatchObject({
      actor: "api",
      action: "config.set",
      target: "concurrency",
      outcome: "ok",
      userAgent: "audit-test",
      detail: "concurrency = 6",
    });
    expect(entries[1]?.peer).toMatch(/127\.0\.0\.1/);
    expect(Number.isNaN(Date.parse(entries[1]?.at ?? ""))).toBe(false);
  });

  it("pages with limit and before until nextBefore is null", async () => {
    const all = (await page("")).entries.map((entry) => entry.id);
    const seen: number[] = [];
    let before: number | null | undefined;
    for (let pages = 0; before !== null; pages++) {
      expect(pages).toBeLessThan(10);
      const next = await page(`?limit=2${before === undefined ? "" : `&before=${before}`}`);
      expect(next.entries.length).toBeLessThanOrEqual(2);
      seen.push(...next.entries.map((entry) => entry.id));
      before = next.nextBefore;
    }
    expect(seen).toEqual(all);
  });

  it("filters by actor and action", async () => {
    const cli = await page("?actor=cli");
    expect(cli.entries.length).toBeGreaterThan(0);
    expect(cli.entries.every((entry) => entry.actor === "cli")).toBe(true);
    const api = await page("?actor=api&action=config.set&limit=3");
    expect(api.entries).toHaveLength(3);
    expect(api.entries.every((entry) => entry.actor === "api" && entry.action === "config.set")).toBe(true);
    expect(api.nextBefore).toBe(api.entries[2]?.id);
    expect((await page("?action=no.such.action")).entries).toEqual([]);
  });

  it.each([
    ["?limit=0", "query.limit"],
    ["?limit=501", "query.limit"],
    ["?limit=ten", "query.limit"],
    ["?before=-1", "query.before"],
    ["?before=1.5", "query.before"],
    ["?actor=robot", "query.actor"],
    ["?action=", "query.action"],
    ["?colour=blue", "query"],
  ])("refuses %s with 400 naming %s", async (query, field) => {
    const response = await h.api(`/api/audit${query}`);
    expect(response.status).toBe(400);
    const body = apiErrorSchema.parse(await response.json());
    expect(body.fields?.map((entry) => entry.path)).toContain(field);
  });

  it("parses through the typed client", async () => {
    const first = await h.client.audit({ limit: 1, actor: "api" });
    expect(first.entries).toHaveLength(1);
    const older = await h.client.audit({ limit: 10, actor: "api", before: first.nextBefore ?? 0 });
    expect(older.entries.map((entry) => entry.id).every((id) => id < (first.entries[0]?.id ?? 0))).toBe(true);
    expect(older.entries).toHaveLength(4);
  });
});
