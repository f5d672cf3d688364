import { ChevronDown, ChevronRight, Trash2 } from "lucide-react";
import { memo } from "react";
import { CopyButton } from "../../components/copy-button.js";
import { formatBytes } from "../../components/format.js";
import type { DeleteTarget } from "../../state/inventory.js";
import type { InventoryRow } from "./inventory-rows.js";

export interface RowHandlers {
  readonly expanded: boolean;
  readonly onToggle: (key: string) => void;
  readonly onDelete: (target: DeleteTarget, name: string, bytes: number) => void;
}

/**
 * One line of the inventory: a toggle for rows with children, the row's own facts, its size and delete. Memoised:
 * while the list scrolls, rows already on screen keep their props and skip rendering.
 */
export const InventoryRowView = memo(function InventoryRowView(
  props: { readonly row: InventoryRow } & RowHandlers,
) {
  const { row } = props;
  const label = titleOf(row);
  return (
    <>
      <span className="inv-name" style={{ paddingLeft: `${(row.depth - 1) * 1.25}rem` }}>
        {row.kind === "platform" || row.kind === "module-version" ? (
          <span className="inv-toggle-space" />
        ) : (
          <button
            type="button"
            className="button ghost small inv-toggle"
            aria-expanded={props.expanded}
            aria-label={`${props.expanded ? "Collapse" : "Expand"} ${label}`}
            onClick={() => {
              props.onToggle(row.key);
            }}
          >
            {props.expanded ? (
              <ChevronDown size={14} aria-hidden="true" />
            ) : (
              <ChevronRight size={14} aria-hidden="true" />
            )}
          </button>
        )}
        <span className={row.kind === "host" ? "inv-title strong" : "inv-title mono"} title={label}>
          {shortTitle(row)}
        </span>
      </span>
      <span className="inv-meta">
        <Meta row={row} />
      </span>
      <span className="inv-size">{formatBytes(row.bytes)}</span>
      <span className="inv-actions">
        {row.kind === "provider-version" || row.kind === "platform" || row.kind === "module-version" ? (
          <button
            type="button"
            className="button small danger"
            aria-label={`Delete ${row.name}`}
            onClick={() => {
              props.onDelete(row.target, row.name, row.bytes);
            }}
          >
            <Trash2 size={14} aria-hidden="true" />
            Delete
          </button>
        ) : null}
      </span>
    </>
  );
});

function Meta(props: { readonly row: InventoryRow }) {
  const { row } = props;
  switch (row.kind) {
    case "host":
      return (
        <>
          {row.clients.length > 0 ? (
            row.clients.map((client) => (
              <span key={client} className="badge info">
                serves {client}
              </span>
            ))
          ) : (
            <span className="badge">no default clients</span>
          )}
          <span className="muted small">
            {plural(row.providers, "provider")} · {plural(row.modules, "module")}
          </span>
        </>
      );
    case "provider":
    case "module":
      return (
        <>
          <span className="badge">{row.kind}</span>
          <span className="muted small">{plural(row.versions, "version")}</span>
        </>
      );
    case "provider-version":
      return (
        <>
          <span className={`badge ${row.signed ? "ok" : "warn"}`}>{row.signed ? "Signed" : "Unsigned"}</span>
          {row.keyId ? <span className="muted small mono inv-key">key {row.keyId}</span> : null}
          <span className="muted small">{plural(row.platforms, "platform")}</span>
        </>
      );
    case "platform":
      return (
        <>
          <Hash value={row.h1} label={`Copy h1 hash of ${row.name}`} />
          <Hash value={row.zh} label={`Copy zh hash of ${row.name}`} />
        </>
      );
    case "module-version":
      return (
        <>
          <span className="badge">{row.sourceKind}</span>
          <Hash value={`sha256:${row.sha256}`} label={`Copy sha256 of ${row.name}`} />
        </>
      );
    default: {
      const never: never = row;
      return never;
    }
  }
}

function Hash(props: { readonly value: string; readonly label: string }) {
  return (
    <span className="inv-hash">
      <code title={props.value}>{props.value}</code>
      <CopyButton text={props.value} label={props.label} />
    </span>
  );
}

/** The full name a screen reader hears on the toggle, so "Expand 2.0.0" says which provider's. */
function titleOf(row: InventoryRow): string {
  switch (row.kind) {
    case "host":
      return row.host;
    case "provider":
    case "module":
      return `${row.host}/${row.address}`;
    case "provider-version":
    case "platform":
    case "module-version":
      return row.name;
    default: {
      const never: never = row;
      return never;
    }
  }
}

/** What the row shows: its own segment of the path, the rest is the indentation above it. */
function shortTitle(row: InventoryRow): string {
  switch (row.kind) {
    case "host":
      return row.host;
    case "provider":
    case "module":
      return row.address;
    case "provider-version":
    case "module-version":
      return row.version;
    case "platform":
      return row.platform;
    default: {
      const never: never = row;
      return never;
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
