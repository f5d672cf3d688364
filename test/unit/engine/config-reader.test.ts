// The parsed-configuration cache (migration 13): a file already read is answered by the hash of its bytes, a row
// of an older reader version is ignored, and the same bytes as .tf and as .tf.json are different entries.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { ConfigCacheRepository } from "../../../main/db/config-cache-repository.js";
import { CONFIG_READER_VERSION, ConfigReader } from "../../../main/engine/config-reader.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
let cache: ConfigCacheRepository;

beforeEach(async () => {
  dir = await makeTempDir("config-reader");
  db = openDatabase(join(dir.path, "larder.db"));
  cache = new ConfigCacheRepository(db);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

const MAIN_TF = `module "net" {\n  source  = "acme/net/aws"\n  version = "1.0.0"\n}\n`;
const keyOf = (syntax: string, content: string): string =>
  createHash("sha256").update(`${syntax}\0`).update(content).digest("hex");
const rows = (): number => db.prepare<[], number>("SELECT count(*) FROM config_cache").pluck().get() ?? 0;

describe("ConfigReader", () => {
  it("parses a file once, then answers the same bytes from the cache, equal to the parse", async () => {
    const reader = new ConfigReader(cache);
    const parsed = await reader.read([{ name: "main.tf", content: MAIN_TF }]);
    expect(parsed.moduleCalls).toEqual([{ name: "net", source: "acme/net/aws", version: "1.0.0" }]);
    expect(rows()).toBe(1);
    // Another name, the same bytes: the cached answer, identical to a fresh parse (undefined fields included).
    const again = await reader.read([{ name: "other.tf", content: MAIN_TF }]);
    expect(again).toEqual(parsed);
    expect(rows()).toBe(1);
  });

  it("takes a cached answer without parsing: what the row says is what is read", async () => {
    // A row planted for bytes that do not even parse proves the parser was never asked.
    const broken = 'module "x" {\n';
    cache.put(
      keyOf("hcl", broken),
      CONFIG_READER_VERSION,
      JSON.stringify({
        moduleCalls: [{ name: "planted", source: "acme/planted/aws" }],
        providers: [],
        impliedProviders: [],
        variables: [],
        outputs: [],
      }),
    );
    const config = await new ConfigReader(cache).read([{ name: "main.tf", content: broken }]);
    expect(config.moduleCalls).toEqual([{ name: "planted", source: "acme/planted/aws", version: undefined }]);
  });

  it("ignores rows of another reader version and rows that do not fit the shape, and parses again", async () => {
    cache.put(keyOf("hcl", MAIN_TF), CONFIG_READER_VERSION - 1, JSON.stringify({ moduleCalls: [] }));
    const reader = new ConfigReader(cache);
    expect((await reader.read([{ name: "main.tf", content: MAIN_TF }])).moduleCalls).toHaveLength(1);
    cache.put(keyOf("hcl", MAIN_TF), CONFIG_READER_VERSION, JSON.stringify({ moduleCalls: "nonsense" }));
    expect((await reader.read([{ name: "main.tf", content: MAIN_TF }])).moduleCalls).toHaveLength(1);
  });

  it("keeps .tf and .tf.json readings of the same bytes apart", async () => {
    const json = JSON.stringify({ module: { net: { source: "acme/net/aws" } } });
    const reader = new ConfigReader(cache);
    expect((await reader.read([{ name: "main.tf.json", content: json }])).moduleCalls).toHaveLength(1);
    // As HCL the same text is a refusal, not the JSON reading's answer.
    await expect(reader.read([{ name: "main.tf", content: json }])).rejects.toThrow(/Cannot parse main\.tf/);
  });

  it("does not cache a file that does not parse", async () => {
    const reader = new ConfigReader(cache);
    await expect(reader.read([{ name: "bad.tf", content: 'module "x" {\n' }])).rejects.toThrow(
      /Cannot parse bad\.tf/,
    );
    expect(rows()).toBe(0);
  });
});
