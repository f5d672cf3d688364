import type { Inventory } from "../../../shared/api/inventory.js";
import type { DeleteTarget } from "../../state/inventory.js";

/**
 * The inventory tree flattened to rows, so the virtualised list renders only what is on screen: 10,000 stored
 * platforms stay one cheap array. Each row knows its depth (for indentation and aria-level) and its key.
 */
export type InventoryRow =
  | {
      readonly kind: "host";
      readonly key: string;
      readonly depth: 1;
      readonly host: string;
      readonly clients: readonly string[];
      readonly providers: number;
      readonly modules: number;
      readonly bytes: number;
    }
  | {
      readonly kind: "provider" | "module";
      readonly key: string;
      readonly depth: 2;
      readonly host: string;
      readonly address: string;
      readonly versions: number;
      readonly bytes: number;
    }
  | {
      readonly kind: "provider-version";
      readonly key: string;
      readonly depth: 3;
      readonly name: string;
      readonly version: string;
      readonly signed: boolean;
      readonly keyId: string | null;
      readonly platforms: number;
      readonly bytes: number;
      readonly target: DeleteTarget;
    }
  | {
      readonly kind: "platform";
      readonly key: string;
      readonly depth: 4;
      readonly name: string;
      readonly platform: string;
      readonly filename: string;
      readonly h1: string;
      readonly zh: string;
      readonly bytes: number;
      readonly target: DeleteTarget;
    }
  | {
      readonly kind: "module-version";
      readonly key: string;
      readonly depth: 3;
      readonly name: string;
      readonly version: string;
      readonly sourceKind: string;
      readonly sha256: string;
      readonly bytes: number;
      readonly target: DeleteTarget;
    };

type ProviderTarget = Extract<DeleteTarget, { kind: "provider" }>;

interface Node {
  readonly row: InventoryRow;
  /** Lower-case text the filter matches against: the row's whole path. */
  readonly path: string;
  readonly group: "provider" | "module" | null;
  readonly host: string;
  readonly children: readonly Node[];
}

export interface RowFilter {
  readonly text: string;
  readonly kind: "all" | "provider" | "module";
  readonly host: string;
}

/** Builds the tree of nodes once per inventory; `visibleRows` walks it per filter and collapse change. */
export function inventoryTree(inventory: Inventory): Node[] {
  return inventory.hosts.map((entry) => {
    const { host } = entry;
    const providers = entry.providers.map((provider): Node => {
      const address = `${provider.namespace}/${provider.type}`;
      const base = `${host} ${address}`;
      return {
        row: {
          kind: "provider",
          key: `p:${host}/${address}`,
          depth: 2,
          host,
          address,
          versions: provider.versions.length,
          bytes: provider.bytes,
        },
        path: base.toLowerCase(),
        group: "provider",
        host,
        children: provider.versions.map((version): Node => {
          const name = `${host}/${address} ${version.version}`;
          const target: ProviderTarget = {
            kind: "provider",
            host,
            namespace: provider.namespace,
            type: provider.type,
            version: version.version,
          };
          return {
            row: {
              kind: "provider-version",
              key: `pv:${name}`,
              depth: 3,
              name,
              version: version.version,
              signed: version.signed,
              keyId: version.keyId,
              platforms: version.platforms.length,
              bytes: version.bytes,
              target,
            },
            path: `${base} ${version.version} ${version.signed ? "signed" : "unsigned"}`.toLowerCase(),
            group: "provider",
            host,
            children: version.platforms.map((platform): Node => {
              const os = `${platform.os}_${platform.arch}`;
              return {
                row: {
                  kind: "platform",
                  key: `pp:${name}/${os}`,
                  depth: 4,
                  name: `${name} ${os}`,
                  platform: os,
                  filename: platform.filename,
                  h1: platform.h1,
                  zh: platform.zh,
                  bytes: platform.size,
                  target: { ...target, platform: os },
                },
                path: `${base} ${version.version} ${os} ${platform.filename}`.toLowerCase(),
                group: "provider",
                host,
                children: [],
              };
            }),
          };
        }),
      };
    });
    const modules = entry.modules.map((module): Node => {
      const address = `${module.namespace}/${module.name}/${module.system}`;
      const base = `${host} ${address}`;
      return {
        row: {
          kind: "module",
          key: `m:${host}/${address}`,
          depth: 2,
          host,
          address,
          versions: module.versions.length,
          bytes: module.bytes,
        },
        path: base.toLowerCase(),
        group: "module",
        host,
        children: module.versions.map((version): Node => ({
          row: {
            kind: "module-version",
            key: `mv:${host}/${address}/${version.version}`,
            depth: 3,
            name: `${host}/${address} ${version.version}`,
            version: version.version,
            sourceKind: version.sourceKind,
            sha256: version.sha256,
            bytes: version.size,
            target: {
              kind: "module",
              host,
              namespace: module.namespace,
              name: module.name,
              system: module.system,
              version: version.version,
            },
          },
          path: `${base} ${version.version} ${version.sourceKind}`.toLowerCase(),
          group: "module",
          host,
          children: [],
        })),
      };
    });
    return {
      row: {
        kind: "host",
        key: `h:${host}`,
        depth: 1,
        host,
        clients: entry.clients,
        providers: entry.providers.length,
        modules: entry.modules.length,
        bytes: entry.bytes,
      },
      path: host.toLowerCase(),
      group: null,
      host,
      children: [...providers, ...modules],
    } satisfies Node;
  });
}

/**
 * The rows to show: a node stays when its path matches every word of the filter text, or one of its descendants
 * does (so a match is shown with its host and provider around it); a collapsed node hides its children.
 */
export function visibleRows(
  tree: readonly Node[],
  filter: RowFilter,
  collapsed: ReadonlySet<string>,
): InventoryRow[] {
  const words = filter.text
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  const out: InventoryRow[] = [];
  const visit = (node: Node, into: InventoryRow[], forced: boolean): void => {
    if (filter.host !== "" && node.host !== filter.host) return;
    if (filter.kind !== "all" && node.group !== null && node.group !== filter.kind) return;
    const self = forced || words.every((word) => node.path.includes(word));
    const below: InventoryRow[] = [];
    for (const child of node.children) visit(child, below, self);
    // A host, provider or version whose children the filter all hid says nothing on its own.
    if (below.length === 0 && (!self || node.children.length > 0)) return;
    into.push(node.row);
    if (!collapsed.has(node.row.key)) for (const row of below) into.push(row);
  };
  for (const node of tree) visit(node, out, false);
  return out;
}

/** Every key that can collapse, for "Collapse all". */
export function collapsibleKeys(tree: readonly Node[]): string[] {
  const keys: string[] = [];
  const visit = (node: Node): void => {
    if (node.children.length === 0) return;
    keys.push(node.row.key);
    node.children.forEach(visit);
  };
  tree.forEach(visit);
  return keys;
}
