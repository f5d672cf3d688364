import * as Dialog from "@radix-ui/react-dialog";
import { Trash2 } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import type { Project } from "../../../shared/api/projects.js";
import { useProjects } from "../../state/projects.js";

/** Remove asks first, saying what goes (the project, an upload's copy) and what stays (the folder, the mirror). */
export function RemoveProjectButton(props: { readonly project: Project }) {
  const { project } = props;
  const remove = useProjects((s) => s.remove);
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    const failure = await remove(project.id);
    setBusy(false);
    if (failure === null) {
      setOpen(false);
      void navigate("/projects");
    } else setError(failure);
  };
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setError(null);
      }}
    >
      <Dialog.Trigger asChild>
        <button type="button" className="button danger">
          <Trash2 size={16} aria-hidden="true" /> Remove project
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>Remove {project.name}?</Dialog.Title>
          <Dialog.Description>
            {project.kind === "folder"
              ? "Larder forgets the project; the folder itself is not touched."
              : "Larder forgets the project and deletes its uploaded copy."}{" "}
            Everything mirrored for it stays stored.
          </Dialog.Description>
          {error !== null ? (
            <div className="banner danger wrap" role="alert">
              {error}
            </div>
          ) : null}
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" className="button">
                Keep it
              </button>
            </Dialog.Close>
            <button type="button" className="button danger" disabled={busy} onClick={() => void confirm()}>
              {busy ? "Removing…" : "Remove"}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
