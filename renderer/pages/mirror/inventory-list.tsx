import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { DeleteTarget } from "../../state/inventory.js";
import { InventoryRowView } from "./inventory-row.js";
import type { InventoryRow } from "./inventory-rows.js";

/** Every row is this tall (CSS pins it), so the virtualiser never measures: scrolling 10,000 rows stays cheap. */
export const ROW_HEIGHT = 44;

/** The inventory as a virtualised list: only the rows in view (plus a few) are in the DOM. */
export function InventoryList(props: {
  readonly rows: readonly InventoryRow[];
  readonly collapsed: ReadonlySet<string>;
  readonly onToggle: (key: string) => void;
  readonly onDelete: (target: DeleteTarget, name: string, bytes: number) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    getItemKey: (index) => props.rows[index]?.key ?? index,
  });
  return (
    <div
      ref={scroller}
      className="inv-scroller"
      role="list"
      aria-label="Stored items"
      data-testid="inventory-scroller"
      tabIndex={-1}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((virtual) => {
          const row = props.rows[virtual.index];
          if (!row) return null;
          return (
            <div
              key={virtual.key}
              role="listitem"
              aria-level={row.depth}
              aria-posinset={virtual.index + 1}
              aria-setsize={props.rows.length}
              className={`inv-row inv-${row.kind}`}
              style={{ transform: `translateY(${virtual.start}px)` }}
            >
              <InventoryRowView
                row={row}
                expanded={!props.collapsed.has(row.key)}
                onToggle={props.onToggle}
                onDelete={props.onDelete}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
