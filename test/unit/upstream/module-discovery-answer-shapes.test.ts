import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModuleAddress } from "../../../main/core/module-address.js";
import { startRegistryStub, type RegistryStub } from "./registry-stub.js";

const versionsPath = "/v1/modules/hashicorp/consul/aws/versions";
const downloadPath = "/v1/modules/hashicorp/consul/aws/0.1.0/download";
const discoveryPath = "/.well-known/terraform.json";

describe("module registry answers are decoded as leniently as terraform does", () => {
  let stub: RegistryStub;
  let address: ModuleAddress;

  beforeAll(async () => {
    stub = await startRegistryStub();
    address = { host: stub.host, namespace: "hashicorp", name: "consul", system: "aws" };
  });
  afterAll(() => stub.close());

  it("reads a versions answer with source, root, submodules and null members", async () => {
    stub.serve({
      [versionsPath]: {
        json: {
          modules: [
            {
              source: "hashicorp/consul/aws",
              versions: [
                { version: "0.1.0", root: { providers: null, dependencies: [] }, submodules: null },
                { version: "0.2.0", root: null, submodules: [{ path: "modules/x", providers: [] }] },
              ],
            },
          ],
        },
      },
    });
    await expect(stub.modules().listVersions(address)).resolves.toEqual(["0.1.0", "0.2.0"]);
    expect(stub.warnings).toEqual([]);
  });

  it("skips an unreadable version entry with a warning and keeps the rest", async () => {
    stub.serve({
      [versionsPath]: {
        json: {
          modules: [{ versions: [{ version: "0.1.0" }, { version: null }, "0.2.0", { version: "0.3.0" }] }],
        },
      },
    });
    await expect(stub.modules().listVersions(address)).resolves.toEqual(["0.1.0", "0.3.0"]);
    const skipped =
      "Registry registry.example: skipped an unreadable entry in the versions of module registry.example/hashicorp/consul/aws";
    expect(stub.warnings).toHaveLength(2);
    expect(stub.warnings[0]).toMatch(`${skipped} (modules.0.versions.1.version: `);
    expect(stub.warnings[1]).toMatch(`${skipped} (modules.0.versions.2: `);
  });

  it.each([
    ["an empty modules list", { modules: [] }],
    ["modules: null", { modules: null }],
    ["no modules member", { versions: [{ version: "0.1.0" }] }],
  ])("rejects %s", async (_label, json) => {
    stub.serve({ [versionsPath]: { json } });
    await expect(stub.modules().listVersions(address)).rejects.toThrow(/malformed answer.*\(modules: /);
  });

  it("reads a 204 answer with X-Terraform-Get", async () => {
    stub.serve({
      [downloadPath]: { status: 204, headers: { "x-terraform-get": "git::https://example/x.git" } },
    });
    await expect(stub.modules().downloadLocation(address, "0.1.0")).resolves.toBe(
      "git::https://example/x.git",
    );
  });

  it("reads a registry.opentofu.org 200 answer with a JSON location, resolving it against the request URL", async () => {
    stub.serve({ [downloadPath]: { json: { location: "./archive.tar.gz", extra: null } } });
    await expect(stub.modules().downloadLocation(address, "0.1.0")).resolves.toBe(
      `${stub.url}/v1/modules/hashicorp/consul/aws/0.1.0/archive.tar.gz`,
    );
  });

  it("prefers a non-empty X-Terraform-Get header over a JSON body location", async () => {
    stub.serve({
      [downloadPath]: {
        headers: { "x-terraform-get": "/from-header.tar.gz" },
        json: { location: "https://example/from-body.tar.gz" },
      },
    });
    await expect(stub.modules().downloadLocation(address, "0.1.0")).resolves.toBe(
      `${stub.url}/from-header.tar.gz`,
    );
  });

  it("uses the JSON body location when the header is empty", async () => {
    stub.serve({
      [downloadPath]: {
        headers: { "x-terraform-get": "" },
        json: { location: "https://example/from-body.tar.gz" },
      },
    });
    await expect(stub.modules().downloadLocation(address, "0.1.0")).resolves.toBe(
      "https://example/from-body.tar.gz",
    );
  });

  it("treats location: null as no location", async () => {
    stub.serve({ [downloadPath]: { json: { location: null } } });
    await expect(stub.modules().downloadLocation(address, "0.1.0")).rejects.toThrow(/gave no location/);
  });
});

describe("service discovery documents are read as terraform reads them", () => {
  let stub: RegistryStub;

  beforeAll(async () => {
    stub = await startRegistryStub();
  });
  afterAll(() => stub.close());

  it("treats null and non-string service values as absent and ignores extra keys", async () => {
    stub.serve({
      [discoveryPath]: {
        json: { "providers.v1": null, "modules.v1": 42, "login.v1": { client: "terraform-cli" } },
      },
    });
    const discovery = stub.discovery();
    await expect(discovery.services(stub.host)).resolves.toEqual({
      providersV1: undefined,
      modulesV1: undefined,
    });
    await expect(discovery.providersBaseUrl(stub.host)).rejects.toThrow(/no providers\.v1/);
    await expect(discovery.modulesBaseUrl(stub.host)).rejects.toThrow(/no modules\.v1/);
  });

  it("resolves relative service URLs against the final discovery URL after a redirect", async () => {
    stub.serve({
      [discoveryPath]: { status: 302, headers: { location: "/nested/terraform.json" } },
      "/nested/terraform.json": { json: { "providers.v1": "v1/providers", "modules.v1": "/v1/modules/" } },
    });
    const discovery = stub.discovery();
    await expect(discovery.providersBaseUrl(stub.host)).resolves.toBe(`${stub.url}/nested/v1/providers/`);
    await expect(discovery.modulesBaseUrl(stub.host)).resolves.toBe(`${stub.url}/v1/modules/`);
    expect(stub.requests).toEqual([discoveryPath, "/nested/terraform.json"]);
  });
});
