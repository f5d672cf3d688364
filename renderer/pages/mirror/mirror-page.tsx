import { HardDrive } from "lucide-react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { formatBytes, formatCount } from "../../components/format.js";
import { PageHeader } from "../../components/page-header.js";
import { EmptyState, ErrorState, LoadingRows } from "../../components/states.js";
import { useInventory, type DeleteTarget } from "../../state/inventory.js";
import { DeleteDialog, type PendingDelete } from "./delete-dialog.js";
import { GcButton } from "./gc-dialog.js";
import { InventoryFilters } from "./inventory-filters.js";
import { InventoryList } from "./inventory-list.js";
import { collapsibleKeys, inventoryTree, visibleRows, type RowFilter } from "./inventory-rows.js";
import { StorageChart } from "./storage-chart.js";
import "./mirror.css";

/** Mirror: what is stored, per host, provider or module, version and platform; delete, GC and storage use. */
export function MirrorPage() {
  const inventory = useInventory((s) => s.inventory);
  const usage = useInventory((s) => s.usage);
  const error = useInventory((s) => s.error);
  const load = useInventory((s) => s.load);
  const [filter, setFilter] = useState<RowFilter>({ text: "", kind: "all", host: "" });
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<PendingDelete | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  const tree = useMemo(() => (inventory ? inventoryTree(inventory) : []), [inventory]);
  const rows = useMemo(() => visibleRows(tree, filter, collapsed), [tree, filter, collapsed]);
  const toggle = useCallback((key: string) => {
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);
  const askDelete = useCallback((target: DeleteTarget, name: string, bytes: number) => {
    setPending({ target, name, bytes });
  }, []);
  const empty =
    inventory !== null && inventory.hosts.every((h) => h.providers.length + h.modules.length === 0);
  return (
    <div className="page">
      <PageHeader
        title="Mirror"
        subtitle={
          inventory
            ? `What this mirror stores and serves: ${formatBytes(inventory.totalBytes)} of packages and module archives.`
            : "What this mirror stores and serves."
        }
        actions={inventory !== null ? <GcButton /> : null}
      />
      {error !== null && inventory === null ? (
        <ErrorState title="Could not load the inventory" message={error} onRetry={() => void load()} />
      ) : inventory === null ? (
        <LoadingRows label="Loading the inventory" />
      ) : empty ? (
        <EmptyState
          icon={HardDrive}
          title="Nothing stored yet"
          action={
            <Link className="button primary" to="/browse">
              Find something on Browse
            </Link>
          }
        >
          Mirrored providers and modules appear here, with their versions, platforms and hashes.
        </EmptyState>
      ) : (
        <>
          {error !== null ? (
            <div className="banner danger" role="alert">
              Could not refresh the inventory: {error}
            </div>
          ) : null}
          <section className="card stack" aria-labelledby="inventory-heading">
            <div className="row inv-toolbar">
              <h2 id="inventory-heading">Inventory</h2>
              <span className="muted small" role="status">
                {formatCount(rows.length)} rows shown
              </span>
              <span className="inv-spacer" />
              <button
                type="button"
                className="button small"
                onClick={() => {
                  setCollapsed(new Set());
                }}
              >
                Expand all
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => {
                  setCollapsed(new Set(collapsibleKeys(tree)));
                }}
              >
                Collapse all
              </button>
            </div>
            <InventoryFilters
              filter={filter}
              hosts={inventory.hosts.map((h) => h.host)}
              onChange={setFilter}
            />
            {rows.length === 0 ? (
              <p className="muted">Nothing stored matches this filter.</p>
            ) : (
              <InventoryList rows={rows} collapsed={collapsed} onToggle={toggle} onDelete={askDelete} />
            )}
          </section>
          {usage ? <StorageChart usage={usage} /> : null}
        </>
      )}
      <DeleteDialog
        pending={pending}
        onClose={() => {
          setPending(null);
        }}
      />
    </div>
  );
}
