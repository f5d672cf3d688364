import * as Dialog from "@radix-ui/react-dialog";
import { Pause, Play, RotateCcw, X, type LucideIcon } from "lucide-react";
import { useState } from "react";
import type { JobAction } from "../../../shared/api/jobs.js";
import { useJobs } from "../../state/jobs.js";
import { actionLabel } from "./actions.js";

const ICONS: Record<JobAction, LucideIcon> = { pause: Pause, resume: Play, cancel: X, retry: RotateCcw };

/**
 * Pause / resume / cancel / retry for a job or one item. Each button's name says what it acts on ("Pause
 * fixture/alpha 2.0.0 (linux_amd64)"), so a screen reader in a list of jobs hears which. Cancel asks first.
 */
export function ControlButtons(props: {
  readonly jobId: number;
  readonly itemId?: number;
  readonly what: string;
  readonly actions: readonly JobAction[];
}) {
  const control = useJobs((s) => s.control);
  const [busy, setBusy] = useState<JobAction | null>(null);
  const [confirming, setConfirming] = useState(false);
  const run = async (action: JobAction): Promise<void> => {
    setBusy(action);
    await control(props.jobId, action, props.itemId);
    setBusy(null);
  };
  if (props.actions.length === 0) return null;
  return (
    <div className="row">
      {props.actions.map((action) => {
        const Icon = ICONS[action];
        return (
          <button
            key={action}
            type="button"
            className={`button small${action === "cancel" ? " danger" : ""}`}
            aria-label={`${actionLabel(action)} ${props.what}`}
            disabled={busy !== null}
            onClick={() => {
              if (action === "cancel") setConfirming(true);
              else void run(action);
            }}
          >
            <Icon size={14} aria-hidden="true" />
            {actionLabel(action)}
          </button>
        );
      })}
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Portal>
          <Dialog.Overlay className="dialog-overlay" />
          <Dialog.Content className="dialog">
            <Dialog.Title>Cancel {props.what}?</Dialog.Title>
            <Dialog.Description>
              What is already stored stays; the unfinished download stops. Retry starts it again later.
            </Dialog.Description>
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="button">
                  Keep downloading
                </button>
              </Dialog.Close>
              <button
                type="button"
                className="button danger"
                onClick={() => {
                  setConfirming(false);
                  void run("cancel");
                }}
              >
                Cancel download
              </button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}
