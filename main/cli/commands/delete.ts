import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { formatPlatform, parsePlatform, type Platform } from "../../core/platform.js";
import type { Inventory } from "../../engine/inventory.js";
import type { Larder } from "../../engine/larder.js";
import { auditCli, openLarderFor } from "../cli-context.js";
import { parseStoredAddress, type StoredAddress } from "../stored-address.js";

interface DeleteOptions {
  readonly dataDir?: string;
  readonly version?: string;
  readonly allVersions?: boolean;
  readonly platform?: string;
  readonly json?: boolean;
}

/** One deleted provider version (or platform of it) or module version. */
interface Deleted {
  readonly kind: "provider" | "module";
  readonly address: string;
  readonly version: string;
  readonly platform?: string;
  /** Provider packages or module versions removed. */
  readonly count: number;
}

const GC_HINT = "Run larder gc to free the disk space.";

/** `larder delete`: removes provider versions/platforms or module versions from what is served. */
export function registerDelete(program: Command): void {
  program
    .command("delete")
    .description("Delete stored provider versions (or one platform of them) or module versions")
    .argument(
      "<address>",
      "provider (NAMESPACE/TYPE, HOST/NAMESPACE/TYPE) or module (NAMESPACE/NAME/SYSTEM, HOST/…)",
    )
    .option("--version <version>", "the version to delete")
    .option("--all-versions", "delete every stored version")
    .option("--platform <os_arch>", "delete only this platform of a provider, e.g. linux_amd64")
    .option("--json", "print JSON instead of text")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (input: string, options: DeleteOptions) => {
      // Everything that can be refused without the data directory is refused before opening it.
      if ((options.version === undefined) === (options.allVersions !== true)) {
        throw new LarderError(
          "invalid_input",
          "larder delete needs exactly one of --version VERSION or --all-versions.",
        );
      }
      const target = parseStoredAddress(input);
      if (target.kind === "module" && options.platform !== undefined) {
        throw new LarderError("invalid_input", `--platform applies to providers only; ${input} is a module.`);
      }
      const platform = options.platform === undefined ? undefined : parsePlatform(options.platform);
      const larder = await openLarderFor(options);
      try {
        const what = [input, options.version ?? "all versions", options.platform].filter(Boolean).join(" ");
        const deleted = await auditCli(
          larder,
          "inventory.delete",
          what,
          () =>
            target.kind === "provider"
              ? deleteProviders(larder, target, options.version, platform)
              : deleteModules(larder, target, options.version),
          (entries) => entries.map(describe).join("; "),
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ deleted }, null, 2)}\n`);
          return;
        }
        for (const entry of deleted) process.stdout.write(`${describe(entry)}\n`);
        process.stdout.write(`${GC_HINT}\n`);
      } finally {
        larder.close();
      }
    });
}

function describe(entry: Deleted): string {
  const unit = entry.kind === "provider" ? "package" : "module version";
  const what = [entry.kind, entry.address, entry.version, entry.platform].filter(Boolean).join(" ");
  return `Deleted ${what} (${entry.count} ${unit}${entry.count === 1 ? "" : "s"})`;
}

type ProviderTarget = Extract<StoredAddress, { kind: "provider" }>;
type ModuleTarget = Extract<StoredAddress, { kind: "module" }>;

function deleteProviders(
  larder: Larder,
  target: ProviderTarget,
  version: string | undefined,
  platform: Platform | undefined,
): Deleted[] {
  const inventory = larder.inventory();
  const wanted = platform && formatPlatform(platform);
  const plan = target.hosts.flatMap((host) => {
    const stored = inventory.hosts
      .find((entry) => entry.host === host)
      ?.providers.find((entry) => entry.namespace === target.namespace && entry.type === target.type);
    return (stored?.versions ?? [])
      .filter((entry) => version === undefined || entry.version === version)
      .filter((entry) => !wanted || entry.platforms.some((p) => `${p.os}_${p.arch}` === wanted))
      .map((entry) => ({ host, version: entry.version, versions: stored?.versions ?? [] }));
  });
  if (plan.length === 0) {
    const only = target.hosts[0];
    // One host and one version: the engine's refusal says exactly what that host stores instead.
    if (target.hosts.length === 1 && only !== undefined && version !== undefined) {
      larder.deleteProvider({ ...target, host: only, version, ...(platform ? { platform } : {}) });
    }
    throw notStored(inventory, target, `${target.namespace}/${target.type}`, version, wanted);
  }
  return plan.map(({ host, version: v }) => {
    const address = `${host}/${target.namespace}/${target.type}`;
    const { packages } = larder.deleteProvider({
      host,
      namespace: target.namespace,
      type: target.type,
      version: v,
      ...(platform ? { platform } : {}),
    });
    return {
      kind: "provider",
      address,
      version: v,
      ...(wanted ? { platform: wanted } : {}),
      count: packages,
    };
  });
}

function deleteModules(larder: Larder, target: ModuleTarget, version: string | undefined): Deleted[] {
  const inventory = larder.inventory();
  const name = `${target.namespace}/${target.name}/${target.system}`;
  const plan = target.hosts.flatMap((host) => {
    const stored = inventory.hosts
      .find((entry) => entry.host === host)
      ?.modules.find(
        (entry) => `${entry.namespace}/${entry.name}/${entry.system}`.toLowerCase() === name.toLowerCase(),
      );
    return (stored?.versions ?? [])
      .filter((entry) => version === undefined || entry.version === version)
      .map((entry) => ({ host, version: entry.version }));
  });
  if (plan.length === 0) {
    const only = target.hosts[0];
    if (target.hosts.length === 1 && only !== undefined && version !== undefined) {
      larder.deleteModule({ ...target, host: only, version });
    }
    throw notStored(inventory, target, name, version, undefined);
  }
  return plan.map(({ host, version: v }) => {
    const { modules } = larder.deleteModule({ ...target, host, version: v });
    return { kind: "module", address: `${host}/${name}`, version: v, count: modules };
  });
}

/** Nothing matched under any of the hosts: say where it was looked for and what is stored there. */
function notStored(
  inventory: Inventory,
  target: StoredAddress,
  name: string,
  version: string | undefined,
  platform: string | undefined,
): LarderError {
  const what = [name, version, platform].filter(Boolean).join(" ");
  const stored = target.hosts.flatMap((host) => {
    const hostEntry = inventory.hosts.find((entry) => entry.host === host);
    const versions =
      target.kind === "provider"
        ? hostEntry?.providers.find((p) => p.namespace === target.namespace && p.type === target.type)
            ?.versions
        : hostEntry?.modules.find(
            (m) => `${m.namespace}/${m.name}/${m.system}`.toLowerCase() === name.toLowerCase(),
          )?.versions;
    return versions && versions.length > 0 ? [`${host}: ${versions.map((v) => v.version).join(", ")}`] : [];
  });
  return new LarderError(
    "not_found",
    `${target.kind === "provider" ? "Provider" : "Module"} ${what} is not stored under ${target.hosts.join(" or ")}` +
      (stored.length > 0 ? `; stored versions: ${stored.join("; ")}.` : ".") +
      " Run larder list to see what is.",
  );
}
