import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiEvent } from "../../../shared/api/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { SseReader } from "../../helpers/sse-reader.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

let h: AdminHarness;

beforeAll(async () => {
  h = await startAdminHarness("admin-events", {
    server: { eventStream: { maxSubscribers: 3, heartbeatMs: 150 }, watchIntervalMs: 100 },
  });
});
afterAll(async () => {
  await h.stop();
});

const auth = (): Record<string, string> => ({ authorization: `Bearer ${h.token}` });

function parse(data: string): ApiEvent {
  return JSON.parse(data) as ApiEvent;
}

describe("/api/events", () => {
  it("needs the token", async () => {
    const response = await fetch(`${h.server.httpUrl}/api/events`);
    expect(response.status).toBe(401);
  });

  it("streams a job's item, progress, job and inventory events with ids, and replays them after a reconnect", async () => {
    const stream = await SseReader.open(`${h.server.httpUrl}/api/events`, auth());
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
    await stream.waitFor((event) => event.event === "server");
    const { id } = await h.client.startJob({
      kind: "provider",
      address: "registry.terraform.io/fixture/alpha",
      versions: ["1.0.0"],
      platforms: ["linux_amd64"],
    });
    await stream.waitFor(
      (event) =>
        event.event === "job" && parse(event.data).type === "job" && event.data.includes('"succeeded"'),
    );
    await stream.waitFor((event) => event.event === "inventory");
    const items = stream
      .dataOf<Extract<ApiEvent, { type: "job-item" }>>("job-item")
      .filter((event) => event.job === id);
    expect(items.map((event) => event.state.status)).toEqual(
      expect.arrayContaining(["queued", "running", "succeeded"]),
    );
    const progress = stream
      .dataOf<Extract<ApiEvent, { type: "progress" }>>("progress")
      .filter((event) => event.job === id);
    expect(progress.at(-1)?.bytesDone).toBe(progress.at(-1)?.bytesTotal);
    // Ids are EPOCH-SEQ, increasing by one per event.
    const ids = stream.events.flatMap((event) => (event.id === undefined ? [] : [event.id]));
    const seqs = ids.map((value) => Number(value.split("-")[1]));
    expect(new Set(ids.map((value) => value.split("-")[0])).size).toBe(1);
    expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] ?? 0) + index));
    stream.close();

    // A window that lost its connection after the first event gets everything after it, in order.
    const first = stream.events.find((event) => event.id !== undefined);
    if (!first?.id) throw new Error("no event with an id");
    const replay = await SseReader.open(`${h.server.httpUrl}/api/events`, {
      ...auth(),
      "last-event-id": first.id,
    });
    const last = stream.events.at(-1);
    await replay.waitFor((event) => event.id === last?.id);
    const missed = stream.events.filter((event) => event.id !== undefined && event.id !== first.id);
    expect(replay.events.filter((event) => event.id !== undefined).map((event) => event.data)).toEqual(
      missed.map((event) => event.data),
    );
    replay.close();
  });

  it("answers an id from another server life with resync", async () => {
    const stream = await SseReader.open(`${h.server.httpUrl}/api/events`, {
      ...auth(),
      "last-event-id": "zzz-5",
    });
    const resync = await stream.waitFor((event) => event.event === "resync");
    expect(parse(resync.data)).toMatchObject({ type: "resync" });
    stream.close();
  });

  it("sends heartbeats and refuses more subscribers than its limit", async () => {
    const streams = await Promise.all(
      [1, 2, 3].map(() => SseReader.open(`${h.server.httpUrl}/api/events`, auth())),
    );
    await Promise.all(streams.map((stream) => stream.waitFor((event) => event.event === "server")));
    const refused = await fetch(`${h.server.httpUrl}/api/events`, { headers: auth() });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(streams[0]?.comments).toBeGreaterThanOrEqual(2);
    for (const stream of streams) stream.close();
    // Closed streams free their places.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await SseReader.open(`${h.server.httpUrl}/api/events`, auth());
    expect(again.response.status).toBe(200);
    again.close();
  });

  it("shows what another process changes: a CLI mirror's job and inventory, a CLI setting", async () => {
    const stream = await SseReader.open(`${h.server.httpUrl}/api/events`, auth());
    await stream.waitFor((event) => event.event === "server");
    const mirror = await runLarder([
      "mirror",
      "provider",
      "registry.terraform.io/fixture/alpha",
      ...["--version", "1.0.0", "--platform", "windows_amd64"],
      ...["--data-dir", h.dataDir, "--upstream", `registry.terraform.io=${h.fixture.url}`],
    ]);
    expect(mirror.code, mirror.stderr).toBe(0);
    const jobId = Number(/Job (\d+)/.exec(mirror.stdout + mirror.stderr)?.[1]);
    await stream.waitFor(
      (event) =>
        event.event === "job" &&
        parse(event.data).type === "job" &&
        event.data.includes(`"job":${jobId}`) &&
        event.data.includes("succeeded"),
    );
    await stream.waitFor((event) => event.event === "inventory");
    const config = await runLarder(["config", "set", "concurrency", "3", "--data-dir", h.dataDir]);
    expect(config.code, config.stderr).toBe(0);
    const settings = await stream.waitFor((event) => event.event === "settings");
    expect(parse(settings.data)).toEqual({ type: "settings", keys: ["concurrency"] });
    stream.close();
  });
});
