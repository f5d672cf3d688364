import * as Dialog from "@radix-ui/react-dialog";
import { useState } from "react";
import { formatBytes } from "../../components/format.js";
import { useInventory, type DeleteTarget } from "../../state/inventory.js";

export interface PendingDelete {
  readonly target: DeleteTarget;
  readonly name: string;
  readonly bytes: number;
}

/** Asks before deleting: what goes, how much, and that garbage collection frees the bytes afterwards. */
export function DeleteDialog(props: {
  readonly pending: PendingDelete | null;
  readonly onClose: () => void;
}) {
  const remove = useInventory((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = (): void => {
    setError(null);
    props.onClose();
  };
  const confirm = async (pending: PendingDelete): Promise<void> => {
    setBusy(true);
    const failure = await remove(pending.target);
    setBusy(false);
    if (failure === null) close();
    else setError(failure);
  };
  const pending = props.pending;
  return (
    <Dialog.Root
      open={pending !== null}
      onOpenChange={(open) => {
        if (!open) close();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>Delete {pending?.name}?</Dialog.Title>
          <Dialog.Description>
            Clients can no longer install it from this mirror until it is mirrored again. Its{" "}
            {formatBytes(pending?.bytes)} stay on disk until garbage collection frees them.
          </Dialog.Description>
          {error !== null ? (
            <div className="banner danger" role="alert">
              {error}
            </div>
          ) : null}
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" className="button">
                Keep it
              </button>
            </Dialog.Close>
            <button
              type="button"
              className="button danger"
              disabled={busy || pending === null}
              onClick={() => {
                if (pending) void confirm(pending);
              }}
            >
              {busy ? "Deleting…" : "Delete"}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
