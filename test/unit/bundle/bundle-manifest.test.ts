import { describe, expect, it } from "vitest";
import {
  parseManifest,
  serializeManifest,
  type BundleManifest,
} from "../../../main/bundle/bundle-manifest.js";
import {
  selectsModuleVersion,
  selectsProviderPackage,
  SELECT_ALL,
} from "../../../main/bundle/bundle-selection.js";
import { parseVersionConstraint } from "../../../main/core/version-constraint.js";
import { errorOf } from "../../helpers/expect-larder-error.js";

const MANIFEST: BundleManifest = {
  format: "larder-bundle",
  formatVersion: 1,
  id: "5e86d730-c66a-4362-aec5-09d13e81b6a3",
  larderVersion: "0.1.0",
  createdAt: "2026-11-22T05:15:40.387Z",
  parent: null,
  entries: [
    {
      kind: "module-archive",
      path: "modules/registry.terraform.io/Acme/Net/aws/1.0.0.tar.gz",
      size: 10,
      sha256: "a".repeat(64),
      host: "registry.terraform.io",
      namespace: "Acme",
      name: "Net",
      system: "aws",
      version: "1.0.0",
      subdir: "",
      sourceKind: "github",
      url: "git::https://github.com/acme/terraform-aws-net?ref=v1.0.0",
    },
  ],
};

function bytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

describe("parseManifest", () => {
  it("reads back what serializeManifest wrote", () => {
    expect(parseManifest(serializeManifest(MANIFEST), "Bundle b.tar")).toEqual(MANIFEST);
  });

  it("refuses a newer format version by its number before checking fields it does not know", () => {
    const error = errorOf(() => parseManifest(bytes({ formatVersion: 7, whatever: true }), "Bundle b.tar"));
    expect(error.code).toBe("unsupported");
    expect(error.message).toMatch(/format version 7, but this Larder reads up to 2\. Upgrade Larder/);
  });

  it("names the field that fails the schema, including unknown fields and unknown kinds", () => {
    expect(errorOf(() => parseManifest(bytes({ ...MANIFEST, extra: 1 }), "B")).message).toMatch(
      /schema check at \(root\)/,
    );
    const badKind = { ...MANIFEST, entries: [{ ...MANIFEST.entries[0], kind: "executable" }] };
    expect(errorOf(() => parseManifest(bytes(badKind), "B")).message).toMatch(
      /schema check at entries\.0\.kind/,
    );
    const badHash = { ...MANIFEST, entries: [{ ...MANIFEST.entries[0], sha256: "XYZ" }] };
    expect(errorOf(() => parseManifest(bytes(badHash), "B")).message).toMatch(/entries\.0\.sha256/);
  });

  it("refuses bytes that are not JSON", () => {
    expect(errorOf(() => parseManifest(Buffer.from("{not json"), "B")).message).toMatch(/not valid JSON/);
  });
});

describe("bundle selection", () => {
  const pkg = {
    host: "registry.terraform.io",
    namespace: "hashicorp",
    type: "aws",
    version: "5.1.0",
    os: "linux",
    arch: "amd64",
  };
  const module = {
    host: "registry.terraform.io",
    namespace: "Acme",
    name: "Net",
    system: "aws",
    version: "1.0.0",
  };

  it("takes everything by default", () => {
    expect(selectsProviderPackage(SELECT_ALL, pkg)).toBe(true);
    expect(selectsModuleVersion(SELECT_ALL, module)).toBe(true);
  });

  it("takes only named addresses once any is named, modules without regard to case", () => {
    const selection = { ...SELECT_ALL, modules: [{ ...module, namespace: "acme", name: "net" }] };
    expect(selectsModuleVersion(selection, module)).toBe(true);
    expect(selectsProviderPackage(selection, pkg)).toBe(false);
  });

  it("filters providers by platform and both kinds by version constraint", () => {
    expect(selectsProviderPackage({ ...SELECT_ALL, platforms: [{ os: "darwin", arch: "arm64" }] }, pkg)).toBe(
      false,
    );
    const old = { ...SELECT_ALL, version: parseVersionConstraint("< 2.0") };
    expect(selectsProviderPackage(old, pkg)).toBe(false);
    expect(selectsModuleVersion(old, module)).toBe(true);
  });
});
