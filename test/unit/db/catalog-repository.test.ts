import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../../main/core/catalog.js";
import type { CatalogQuery } from "../../../main/core/catalog-query.js";
import { CatalogRepository } from "../../../main/db/catalog-repository.js";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";

let dir: TempDir;
let db: Db;
let catalog: CatalogRepository;

function provider(namespace: string, name: string, more: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    host: TF,
    kind: "provider",
    namespace,
    name,
    system: null,
    description: `The ${name} provider`,
    tier: "community",
    verified: false,
    popularity: 0,
    source: null,
    latestVersion: "1.0.0",
    versions: null,
    ...more,
  };
}

function module(
  namespace: string,
  name: string,
  system: string,
  more: Partial<CatalogEntry> = {},
): CatalogEntry {
  return { ...provider(namespace, name, more), kind: "module", system, tier: null, ...more };
}

/** The addresses a search returns, in order. */
function addresses(query: Partial<CatalogQuery> & { text: string }): string[] {
  return catalog
    .search({ limit: 50, ...query })
    .map((hit) => `${hit.host === TF ? "" : `${hit.host}/`}${hit.address}`);
}

beforeEach(async () => {
  dir = await makeTempDir("db-catalog");
  db = openDatabase(join(dir.path, "larder.db"));
  catalog = new CatalogRepository(db);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("CatalogRepository writes", () => {
  it("inserts entries and updates them in place, taking the newest spelling", () => {
    catalog.upsertEntries([provider("hashicorp", "aws", { popularity: 5 })], "2026-01-01T00:00:00Z");
    catalog.upsertEntries(
      [provider("HashiCorp", "AWS", { popularity: 9, description: "Amazon", latestVersion: "6.0.0" })],
      "2026-01-02T00:00:00Z",
    );
    expect(db.prepare("SELECT count(*) AS n FROM catalog_entries").get()).toEqual({ n: 1 });
    expect(catalog.entry(TF, "provider", "hashicorp", "aws", null)).toMatchObject({
      namespace: "HashiCorp",
      name: "AWS",
      system: null,
      description: "Amazon",
      popularity: 9,
      latestVersion: "6.0.0",
      updatedAt: "2026-01-02T00:00:00Z",
      refreshedAt: null,
    });
  });

  it("replaces versions when given, keeps them when an entry comes back with versions null", () => {
    const versions = [
      { version: "2.0.0", publishedAt: "2026-02-01T00:00:00Z" },
      { version: "1.0.0", publishedAt: null },
      { version: "2.0.0", publishedAt: "duplicate, ignored" },
    ];
    catalog.upsertEntries([module("cloudposse", "label", "null", { versions })], "t1");
    expect(catalog.entry(TF, "module", "cloudposse", "label", "null")?.versions).toEqual(
      versions.slice(0, 2),
    );
    catalog.upsertEntries([module("cloudposse", "label", "null", { description: "new" })], "t2");
    expect(catalog.entry(TF, "module", "CloudPosse", "Label", "NULL")).toMatchObject({
      description: "new",
      versions: versions.slice(0, 2),
    });
    catalog.upsertEntries([module("cloudposse", "label", "null", { versions: [] })], "t3");
    expect(catalog.entry(TF, "module", "cloudposse", "label", "null")?.versions).toEqual([]);
  });

  it("says versions are unknown (null) until a source lists them, and undefined for an unknown entry", () => {
    catalog.upsertEntries([provider("hashicorp", "aws")], "t");
    expect(catalog.entry(TF, "provider", "hashicorp", "aws", null)?.versions).toBeNull();
    expect(catalog.entry(TF, "provider", "hashicorp", "azurerm", null)).toBeUndefined();
    expect(catalog.entry(TOFU, "provider", "hashicorp", "aws", null)).toBeUndefined();
  });

  it("keeps the same address of two hosts and two kinds apart", () => {
    catalog.upsertEntries(
      [
        provider("hashicorp", "aws"),
        provider("hashicorp", "aws", { host: TOFU }),
        module("hashicorp", "aws", "aws"),
      ],
      "t",
    );
    expect(db.prepare("SELECT count(*) AS n FROM catalog_entries").get()).toEqual({ n: 3 });
  });

  it("writes a page in one transaction: an invalid entry leaves nothing of it", () => {
    const invalid = { ...module("a", "b", "c"), system: null };
    expect(() => {
      catalog.upsertEntries([provider("hashicorp", "aws"), invalid], "t");
    }).toThrow(/nothing was written/);
    expect(catalog.search({ text: "", limit: 10 })).toEqual([]);
  });

  it("removeMissing deletes only that source's entries the refresh did not write, with their versions", () => {
    catalog.upsertEntries(
      [
        provider("hashicorp", "aws", { versions: [{ version: "1.0.0", publishedAt: null }] }),
        provider("hashicorp", "gone", { versions: [{ version: "1.0.0", publishedAt: null }] }),
        provider("hashicorp", "tofu", { host: TOFU }),
        module("hashicorp", "old", "aws"),
      ],
      "2026-01-01",
    );
    catalog.upsertEntries([provider("hashicorp", "aws")], "2026-02-01");
    expect(catalog.removeMissing(TF, "provider", "2026-02-01")).toBe(1);
    expect(addresses({ text: "" }).sort()).toEqual([
      "hashicorp/aws",
      "hashicorp/old/aws",
      `${TOFU}/hashicorp/tofu`,
    ]);
    expect(db.prepare("SELECT count(*) AS n FROM catalog_versions").get()).toEqual({ n: 1 });
  });

  it("round-trips a source's state and shows its finish time on every result", () => {
    expect(catalog.sourceState(TF, "provider")).toBeUndefined();
    const state = {
      host: TF,
      kind: "provider" as const,
      startedAt: "2026-03-01T10:00:00Z",
      finishedAt: null,
      etag: 'W/"abc"',
      cursor: "page=7",
      lastError: "429 Too Many Requests",
    };
    catalog.saveSourceState(state);
    expect(catalog.sourceState(TF, "provider")).toEqual(state);
    expect(catalog.sourceState(TF, "module")).toBeUndefined();
    const done = { ...state, finishedAt: "2026-03-01T10:05:00Z", cursor: null, lastError: null };
    catalog.saveSourceState(done);
    expect(catalog.sourceState(TF, "provider")).toEqual(done);
    catalog.upsertEntries([provider("hashicorp", "aws"), module("hashicorp", "aws", "aws")], "t");
    const hits = catalog.search({ text: "aws", limit: 10 });
    expect(hits.map((hit) => [hit.kind, hit.refreshedAt]).sort()).toEqual([
      ["module", null],
      ["provider", "2026-03-01T10:05:00Z"],
    ]);
  });
});

describe("CatalogRepository.search", () => {
  beforeEach(() => {
    catalog.upsertEntries(
      [
        provider("hashicorp", "aws", {
          popularity: 100,
          tier: "official",
          description: "Amazon Web Services",
        }),
        provider("hashicorp", "awscc", {
          popularity: 10,
          tier: "official",
          description: "AWS Cloud Control",
        }),
        provider("aws-ia", "tools", { popularity: 500, tier: "partner", description: "Tools for AWS" }),
        provider("someone", "aws", { popularity: 1, description: "A fork" }),
        provider("hashicorp", "random", { popularity: 1000, tier: "official", description: "Random values" }),
        provider("jfrog", "artifactory", { popularity: 50, description: "Works with aws and others" }),
        module("terraform-aws-modules", "vpc", "aws", {
          popularity: 900,
          description: "Creates a VPC on AWS",
        }),
        module("cloudposse", "vpc", "aws", { popularity: 20, description: "VPC" }),
        provider("opentofu", "aws", { host: TOFU, popularity: 3, description: "Amazon Web Services" }),
        provider("münchen", "straße", { popularity: 2, description: "Ünïcödé provider für Café" }),
      ],
      "2026-01-01",
    );
  });

  it("ranks an exact name first, then prefixes, then full-text matches, each by popularity", () => {
    expect(addresses({ text: "aws" })).toEqual([
      // exact name, by popularity (scores of other hosts are not compared, but they are ordered)
      "hashicorp/aws",
      `${TOFU}/opentofu/aws`,
      "someone/aws",
      // name or namespace prefix
      "aws-ia/tools",
      "hashicorp/awscc",
      // words in the system or description
      "terraform-aws-modules/vpc/aws",
      "jfrog/artifactory",
      "cloudposse/vpc/aws",
    ]);
    expect(catalog.search({ text: "aws", limit: 50 }).map((hit) => hit.match)).toEqual([
      "exact",
      "exact",
      "exact",
      "prefix",
      "prefix",
      "text",
      "text",
      "text",
    ]);
  });

  it("matches namespace/name and namespace/name/system exactly and by prefix, in any case", () => {
    expect(addresses({ text: "HashiCorp/AWS" })[0]).toBe("hashicorp/aws");
    expect(addresses({ text: "hashicorp/aws" }).slice(0, 2)).toEqual(["hashicorp/aws", "hashicorp/awscc"]);
    expect(addresses({ text: "hashicorp/" }).slice(0, 3)).toEqual([
      "hashicorp/random",
      "hashicorp/aws",
      "hashicorp/awscc",
    ]);
    expect(addresses({ text: "cloudposse/vpc/aws" })[0]).toBe("cloudposse/vpc/aws");
    expect(addresses({ text: "cloudposse/vpc/a" })[0]).toBe("cloudposse/vpc/aws");
    expect(catalog.search({ text: "cloudposse/vpc", limit: 1 })[0]?.match).toBe("exact");
  });

  it("takes a leading registry host as a host filter", () => {
    expect(addresses({ text: `${TOFU}/opentofu/aws` })).toEqual([`${TOFU}/opentofu/aws`]);
    expect(addresses({ text: `${TF}/opentofu/aws` })).toEqual([]);
  });

  it("finds words in descriptions, the last word as a prefix, all words required", () => {
    expect(addresses({ text: "amazon web" })).toEqual(["hashicorp/aws", `${TOFU}/opentofu/aws`]);
    expect(addresses({ text: "cloud contr" })).toEqual(["hashicorp/awscc"]);
    expect(addresses({ text: "amazon nothing" })).toEqual([]);
  });

  it("filters by host, kind and tier", () => {
    expect(addresses({ text: "aws", hosts: [TOFU] })).toEqual([`${TOFU}/opentofu/aws`]);
    expect(addresses({ text: "aws", hosts: [TF.toUpperCase()] })).not.toContain(`${TOFU}/opentofu/aws`);
    expect(addresses({ text: "aws", hosts: [] })).toEqual([]);
    expect(addresses({ text: "aws", kind: "module" })).toEqual([
      "terraform-aws-modules/vpc/aws",
      "cloudposse/vpc/aws",
    ]);
    expect(addresses({ text: "aws", tier: "official" })).toEqual(["hashicorp/aws", "hashicorp/awscc"]);
    expect(addresses({ text: "", tier: "Partner" })).toEqual(["aws-ia/tools"]);
  });

  it("lists everything by popularity for empty text, and pages", () => {
    const all = addresses({ text: "  " });
    expect(all.slice(0, 3)).toEqual(["hashicorp/random", "terraform-aws-modules/vpc/aws", "aws-ia/tools"]);
    expect(all).toHaveLength(10);
    expect(catalog.search({ text: "", limit: 0 })).toEqual([]);
    const pages = [0, 3, 6, 9].flatMap((offset) =>
      catalog.search({ text: "", limit: 3, offset }).map((hit) => hit.address),
    );
    expect(pages).toEqual(all.map((address) => address.replace(`${TOFU}/`, "")));
    expect(addresses({ text: "aws", limit: 2, offset: 3 })).toEqual(["aws-ia/tools", "hashicorp/awscc"]);
  });

  it("carries what a result shows", () => {
    expect(catalog.search({ text: "hashicorp/aws", limit: 1 })).toEqual([
      {
        host: TF,
        kind: "provider",
        namespace: "hashicorp",
        name: "aws",
        system: null,
        address: "hashicorp/aws",
        description: "Amazon Web Services",
        tier: "official",
        verified: false,
        popularity: 100,
        source: null,
        latestVersion: "1.0.0",
        match: "exact",
        updatedAt: "2026-01-01",
        refreshedAt: null,
      },
    ]);
  });

  it.each([
    '"',
    '"aws',
    "aws*",
    "a OR b",
    "NEAR(",
    "NEAR(aws vpc, 2)",
    "-x",
    "description:aws",
    "^aws",
    "aws AND",
    "(",
    "***",
    "%",
    "_",
    "a/b/c/d/e",
    "/",
    "//",
    "hashicorp//aws",
    "'; DROP TABLE catalog_entries; --",
    "🙂",
    "x".repeat(5000),
    "a ".repeat(200),
  ])("treats hostile text %j as search terms without failing", (text) => {
    expect(() => catalog.search({ text, limit: 5 })).not.toThrow();
    expect(catalog.search({ text: "", limit: 50 })).toHaveLength(10);
  });

  it("searches FTS syntax as plain words", () => {
    // `*` is no wildcard here: the word aws (a prefix, as the last word always is) found by full text only.
    expect(addresses({ text: "aws*" }).sort()).toEqual(addresses({ text: "aws" }).sort());
    expect(new Set(catalog.search({ text: "aws*", limit: 50 }).map((hit) => hit.match))).toEqual(
      new Set(["text"]),
    );
    expect(addresses({ text: '"amazon' })).toEqual(["hashicorp/aws", `${TOFU}/opentofu/aws`]);
    expect(addresses({ text: "random OR vpc" })).toEqual([]);
    expect(addresses({ text: "-random" })).toEqual(["hashicorp/random"]);
    expect(addresses({ text: '"' })).toEqual([]);
  });

  it("folds case and diacritics in words, and matches unicode names", () => {
    expect(addresses({ text: "cafe" })).toEqual(["münchen/straße"]);
    expect(addresses({ text: "UNICODE" })).toEqual(["münchen/straße"]);
    expect(addresses({ text: "münchen/straße" })).toEqual(["münchen/straße"]);
    expect(addresses({ text: "münch" })).toEqual(["münchen/straße"]);
  });
});
