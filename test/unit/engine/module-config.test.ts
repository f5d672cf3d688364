import { describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { readModuleConfig } from "../../../main/engine/module-config.js";

const file = (name: string, content: string) => ({ name, content });

// hcl2json renders blocks and attributes as JSON objects with sorted keys, so the order within one file
// is by block label, not as written; compare as sets.
const sorted = <T extends { source?: string | undefined; localName?: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) =>
    `${a.localName ?? ""}${a.source ?? ""}`.localeCompare(`${b.localName ?? ""}${b.source ?? ""}`),
  );

describe("readModuleConfig", () => {
  it("reads module calls with their source and version", async () => {
    const config = await readModuleConfig([
      file(
        "main.tf",
        `
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  cidr    = "10.0.0.0/16"
}

module "local" {
  source = "./modules/local"
}

module "git" {
  source = "git::https://example.com/network.git//modules/vpc?ref=v1.2.0"
}
`,
      ),
    ]);
    expect(sorted(config.moduleCalls)).toEqual(
      sorted([
        { name: "vpc", source: "terraform-aws-modules/vpc/aws", version: "~> 5.0" },
        { name: "local", source: "./modules/local", version: undefined },
        {
          name: "git",
          source: "git::https://example.com/network.git//modules/vpc?ref=v1.2.0",
          version: undefined,
        },
      ]),
    );
    expect(config.providers).toEqual([]);
  });

  it("treats interpolated values as absent", async () => {
    const config = await readModuleConfig([
      file(
        "main.tf",
        `
module "dynamic_source" {
  source = "\${var.source}"
}

module "dynamic_version" {
  source  = "hashicorp/consul/aws"
  version = var.consul_version
}

module "templated_version" {
  source  = "hashicorp/nomad/aws"
  version = ">= \${local.major}.0"
}

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = var.aws_version
    }
  }
}
`,
      ),
    ]);
    // A source that cannot be read statically is no module call Larder can follow.
    expect(sorted(config.moduleCalls)).toEqual(
      sorted([
        { name: "dynamic_version", source: "hashicorp/consul/aws", version: undefined },
        { name: "templated_version", source: "hashicorp/nomad/aws", version: undefined },
      ]),
    );
    expect(config.providers).toEqual([{ localName: "aws", source: "hashicorp/aws", version: undefined }]);
  });

  it("reads required_providers in the object form and the legacy string form", async () => {
    const config = await readModuleConfig([
      file(
        "versions.tf",
        `
terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 4.0, < 6.0"
    }
    random = "~> 3.1"
    tls = {
      source = "registry.opentofu.org/hashicorp/tls"
    }
    mycloud = {
      version = "1.0.0"
    }
  }
}
`,
      ),
    ]);
    expect(config.moduleCalls).toEqual([]);
    expect(sorted(config.providers)).toEqual(
      sorted([
        { localName: "aws", source: "hashicorp/aws", version: ">= 4.0, < 6.0" },
        { localName: "random", source: undefined, version: "~> 3.1" },
        { localName: "tls", source: "registry.opentofu.org/hashicorp/tls", version: undefined },
        { localName: "mycloud", source: undefined, version: "1.0.0" },
      ]),
    );
  });

  it("collects from several files and several terraform blocks, in file order", async () => {
    const config = await readModuleConfig([
      file("a.tf", `module "one" {\n  source = "acme/one/aws"\n  version = "1.0.0"\n}\n`),
      file("b.tf", `terraform {\n  required_providers {\n    null = "3.2.1"\n  }\n}\n`),
      file(
        "c.tf",
        `
terraform {
  required_providers {
    local = { source = "hashicorp/local" }
  }
}

module "two" {
  source = "acme/two/aws"
}
`,
      ),
      file("empty.tf", ""),
      file("comments.tf", "# nothing here\n/* still nothing */\n"),
    ]);
    expect(sorted(config.moduleCalls)).toEqual(
      sorted([
        { name: "one", source: "acme/one/aws", version: "1.0.0" },
        { name: "two", source: "acme/two/aws", version: undefined },
      ]),
    );
    expect(sorted(config.providers)).toEqual(
      sorted([
        { localName: "null", source: undefined, version: "3.2.1" },
        { localName: "local", source: "hashicorp/local", version: undefined },
      ]),
    );
  });

  it("ignores blocks and attributes it does not need", async () => {
    const config = await readModuleConfig([
      file(
        "main.tf",
        `
variable "name" {
  type = string
}

resource "null_resource" "x" {
  triggers = { module = "not/a/module" }
}

provider "aws" {
  region = "eu-west-1"
}

module "no_source" {
  count = 0
}
`,
      ),
    ]);
    expect(config).toEqual({
      moduleCalls: [],
      providers: [],
      // Used, not required: terraform reads them as hashicorp/<name>.
      impliedProviders: ["aws", "null"],
      variables: [{ name: "name", description: undefined, required: true }],
      outputs: [],
    });
  });

  it("reads the JSON syntax: one block or an array of them, comments skipped", async () => {
    const config = await readModuleConfig([
      file(
        "main.tf.json",
        JSON.stringify({
          "//": "generated",
          terraform: [{ required_providers: { alpha: { source: "acme/alpha", version: "~> 1.0" } } }],
          module: { net: { source: "acme/net/aws", version: "2.0.0" }, "//": "a comment" },
          data: { terraform_remote_state: { x: {} }, http_get: { y: {} } },
          variable: { region: { default: "eu" } },
        }),
      ),
    ]);
    expect(config.providers).toEqual([{ localName: "alpha", source: "acme/alpha", version: "~> 1.0" }]);
    expect(config.moduleCalls).toEqual([{ name: "net", source: "acme/net/aws", version: "2.0.0" }]);
    // terraform_remote_state is the built-in provider's, never installed.
    expect(config.impliedProviders).toEqual(["http"]);
    expect(config.variables).toEqual([{ name: "region", description: undefined, required: false }]);
  });

  it("refuses a .tf.json file that is not a JSON object, naming it", async () => {
    const error = await readModuleConfig([file("bad.tf.json", "[1, 2]")]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LarderError);
    expect((error as LarderError).message).toMatch(/^Cannot parse bad\.tf\.json: /);
  });

  it("refuses a file that does not parse, naming it", async () => {
    const error = await readModuleConfig([
      file("good.tf", `module "a" {\n  source = "acme/a/aws"\n}\n`),
      file("modules/net/broken.tf", `module "b" {\n  source = "acme/b/aws"\n`),
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LarderError);
    expect(error).toMatchObject({ code: "verification_failed" });
    expect((error as LarderError).message).toMatch(/^Cannot parse modules\/net\/broken\.tf: \S/);
    expect((error as LarderError).message).not.toContain("\n");
  });

  it("returns nothing for no files", async () => {
    expect(await readModuleConfig([])).toEqual({
      moduleCalls: [],
      providers: [],
      impliedProviders: [],
      variables: [],
      outputs: [],
    });
  });

  it("takes the provider a resource names with its provider meta-argument, not the type's prefix", async () => {
    const config = await readModuleConfig([
      file(
        "main.tf",
        `resource "google_compute_instance" "a" {\n  provider = google-beta\n}\n` +
          `resource "aws_instance" "b" {\n  provider = aws.west\n}\ndata "http" "x" {}\n`,
      ),
    ]);
    expect(config.impliedProviders).toEqual(["aws", "google-beta", "http"]);
  });

  it("merges override files as terraform does: a module's version and a requirement replaced, not added", async () => {
    const config = await readModuleConfig([
      file(
        "main.tf",
        `terraform {\n  required_providers {\n    google = { source = "hashicorp/google", version = "~> 4.0" }\n  }\n}\n` +
          `module "net" {\n  source  = "acme/net/aws"\n  version = "1.0.0"\n}\n`,
      ),
      file(
        "net_override.tf",
        `terraform {\n  required_providers {\n    google = { source = "hashicorp/google", version = "~> 5.0" }\n  }\n}\n` +
          `module "net" {\n  version = "2.0.0"\n}\n`,
      ),
    ]);
    expect(config.moduleCalls).toEqual([{ name: "net", source: "acme/net/aws", version: "2.0.0" }]);
    expect(config.providers).toEqual([
      { localName: "google", source: "hashicorp/google", version: "~> 5.0" },
    ]);
  });

  it("reads the JSON syntax's array form of blocks", async () => {
    const config = await readModuleConfig([
      file(
        "main.tf.json",
        JSON.stringify({
          module: [{ a: { source: "acme/a/aws" } }, { b: { source: "acme/b/aws" } }],
          resource: [{ null_resource: { x: { provider: "null2" } } }],
        }),
      ),
    ]);
    expect(config.moduleCalls.map((call) => call.name)).toEqual(["a", "b"]);
    expect(config.impliedProviders).toEqual(["null2"]);
  });
});
