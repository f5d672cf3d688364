import { describe, expect, it } from "vitest";
import { parseLockFile, renderLockFile } from "../../../../main/engine/project/lock-file.js";

// Written by `tofu providers lock -platform=linux_amd64 -platform=darwin_arm64` (OpenTofu 1.6.2) against the fixture.
const TOFU_LOCK = `# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/fixture/alpha" {
  version     = "1.1.0"
  constraints = ">= 1.0.0, ~> 1.0"
  hashes = [
    "h1:Dxs0/YdTN2278rDP3TQ62hWtnhaO2yUCO7srsoUawKM=",
    "h1:uzN8YAs0HE38W4xvOXtZIF7BLeadg2uWsKPbwLPLPPs=",
    "zh:345c756c2b0f625d122b0c49083c22d96535e80e90b8445fd4d639336d689bb8",
    "zh:40033bffda2df30532dbed8416df2adec8ff3c916670edea5b207b26e868fd6c",
    "zh:f47c8595014f4a24ecdfc147a9f615724d2b649c349131c4942407f8bf609c04",
  ]
}
`;

describe("lock file", () => {
  it("reads tofu's file and renders it back byte for byte", async () => {
    const providers = await parseLockFile(TOFU_LOCK, ".terraform.lock.hcl");
    expect(providers).toHaveLength(1);
    expect(providers[0]?.version).toBe("1.1.0");
    expect(renderLockFile(providers, "tofu")).toBe(TOFU_LOCK);
  });

  it("sorts providers and hashes, drops repeats, and aligns only when constraints are present", () => {
    const text = renderLockFile(
      [
        {
          address: "registry.terraform.io/b/two",
          version: "2.0.0",
          constraints: "",
          hashes: ["zh:2", "h1:1", "zh:2"],
        },
        { address: "registry.terraform.io/a/one", version: "1.0.0", constraints: "~> 1.0", hashes: [] },
      ],
      "terraform",
    );
    expect(text).toBe(
      [
        '# This file is maintained automatically by "terraform init".',
        "# Manual edits may be lost in future updates.",
        "",
        'provider "registry.terraform.io/a/one" {',
        '  version     = "1.0.0"',
        '  constraints = "~> 1.0"',
        "}",
        "",
        'provider "registry.terraform.io/b/two" {',
        '  version = "2.0.0"',
        "  hashes = [",
        '    "h1:1",',
        '    "zh:2",',
        "  ]",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("refuses a file that is not HCL, naming it", async () => {
    await expect(parseLockFile("provider {", "/p/.terraform.lock.hcl")).rejects.toThrow(
      /\/p\/\.terraform\.lock\.hcl/,
    );
  });

  it("sorts providers by host, then namespace, then type, as terraform does", () => {
    const text = renderLockFile(
      ["registry.terraform.io/vmware-tanzu/carvel", "registry.terraform.io/vmware/vsphere"].map(
        (address) => ({
          address,
          version: "1.0.0",
          constraints: "",
          hashes: [],
        }),
      ),
      "terraform",
    );
    expect(text.indexOf("vmware/vsphere")).toBeLessThan(text.indexOf("vmware-tanzu/carvel"));
  });

  it("writes the header alone for a project without providers, as terraform does", () => {
    expect(renderLockFile([], "terraform")).toBe(
      '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n',
    );
  });
});
