import { z } from "zod";
import type { RegistryClient } from "../../core/clients.js";
import { LarderError } from "../../core/errors.js";

/** The name terraform and tofu give a root module's dependency lock file. */
export const LOCK_FILE_NAME = ".terraform.lock.hcl";

/** One `provider` block of a `.terraform.lock.hcl`. */
export interface LockedProvider {
  /** The fully qualified source address, host included (`registry.terraform.io/hashicorp/null`). */
  readonly address: string;
  readonly version: string;
  /** The normalized constraints recorded with it; "" when the configuration gave none. */
  readonly constraints: string;
  readonly hashes: readonly string[];
}

const lockSchema = z.looseObject({
  provider: z
    .record(
      z.string(),
      z.array(
        z.looseObject({
          version: z.string(),
          constraints: z.string().optional(),
          hashes: z.array(z.string()).optional(),
        }),
      ),
    )
    .optional(),
});

/** Reads a lock file's provider blocks; a file that does not parse is refused with its path and the reason. */
export async function parseLockFile(text: string, path: string): Promise<LockedProvider[]> {
  // The HCL parser is loaded on first use: it instantiates a Go WebAssembly runtime.
  const { parse } = await import("@cdktf/hcl2json");
  let json: unknown;
  try {
    json = await parse(path, text);
  } catch (error) {
    throw new LarderError(
      "invalid_input",
      `Cannot read ${path}: ${String(error).split("\n")[0] ?? ""}. Fix or delete the file (init rewrites it).`,
    );
  }
  const parsed = lockSchema.safeParse(json);
  if (!parsed.success) {
    throw new LarderError(
      "invalid_input",
      `${path} is not a dependency lock file (${parsed.error.issues[0]?.message ?? "unexpected shape"}).`,
    );
  }
  return Object.entries(parsed.data.provider ?? {}).flatMap(([address, blocks]) =>
    blocks.map((block) => ({
      address,
      version: block.version,
      constraints: block.constraints ?? "",
      hashes: block.hashes ?? [],
    })),
  );
}

/**
 * Renders a lock file byte for byte as `terraform providers lock` / `tofu providers lock` write it (hclwrite's
 * layout): the client's header, providers sorted by address, `=` aligned across `version` and `constraints`,
 * hashes deduplicated and sorted, one per line with a trailing comma.
 */
export function renderLockFile(providers: readonly LockedProvider[], client: RegistryClient): string {
  const header = [
    `# This file is maintained automatically by "${client} init".`,
    "# Manual edits may be lost in future updates.",
  ];
  // terraform's Provider.LessThan: by host, then namespace, then type (not by the whole address:
  // vmware/vsphere sorts before vmware-tanzu/carvel).
  const blocks = [...providers]
    .sort((a, b) => compareAddresses(a.address, b.address))
    .map((provider) => {
      const lines = [`provider ${quote(provider.address)} {`];
      if (provider.constraints === "") {
        lines.push(`  version = ${quote(provider.version)}`);
      } else {
        lines.push(`  version     = ${quote(provider.version)}`);
        lines.push(`  constraints = ${quote(provider.constraints)}`);
      }
      const hashes = [...new Set(provider.hashes)].sort(compareBytes);
      if (hashes.length > 0) {
        lines.push("  hashes = [");
        for (const hash of hashes) lines.push(`    ${quote(hash)},`);
        lines.push("  ]");
      }
      lines.push("}");
      return lines.join("\n");
    });
  // An empty file is the header alone.
  return blocks.length === 0
    ? `${header.join("\n")}\n`
    : `${[...header, "", blocks.join("\n\n")].join("\n")}\n`;
}

function compareAddresses(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const order = compareBytes(left[index] ?? "", right[index] ?? "");
    if (order !== 0) return order;
  }
  return 0;
}

function quote(value: string): string {
  // Addresses, versions, constraints and hashes never hold quotes or backslashes; JSON escaping is HCL's for them.
  return JSON.stringify(value);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
