import * as Dialog from "@radix-ui/react-dialog";
import { Recycle } from "lucide-react";
import { useState } from "react";
import { formatBytes, formatCount } from "../../components/format.js";
import { useInventory, type GcResult } from "../../state/inventory.js";

type Step =
  | { readonly step: "checking" }
  | { readonly step: "ready"; readonly plan: GcResult }
  | { readonly step: "collecting"; readonly plan: GcResult }
  | { readonly step: "done"; readonly result: GcResult }
  | { readonly step: "failed"; readonly message: string };

/** Garbage collection: a dry run says what it will free first, and only a confirm frees it. */
export function GcButton() {
  const collect = useInventory((s) => s.collectGarbage);
  const [open, setOpen] = useState(false);
  const [step, setStep] = useState<Step>({ step: "checking" });
  const check = async (): Promise<void> => {
    setStep({ step: "checking" });
    try {
      setStep({ step: "ready", plan: await collect(true) });
    } catch (error) {
      setStep({ step: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  };
  const run = async (plan: GcResult): Promise<void> => {
    setStep({ step: "collecting", plan });
    try {
      setStep({ step: "done", result: await collect(false) });
    } catch (error) {
      setStep({ step: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className="button" onClick={() => void check()}>
          <Recycle size={16} aria-hidden="true" />
          Collect garbage…
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>Collect garbage</Dialog.Title>
          <Dialog.Description>
            Frees the files nothing stored refers to any more (left behind by deletes and replaced downloads).
          </Dialog.Description>
          <div aria-live="polite">
            <Body step={step} />
          </div>
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" className="button">
                {step.step === "done" ? "Close" : "Cancel"}
              </button>
            </Dialog.Close>
            {step.step === "ready" || step.step === "collecting" ? (
              <button
                type="button"
                className="button primary"
                disabled={step.step === "collecting" || step.plan.blobs === 0}
                onClick={() => void run(step.plan)}
              >
                {step.step === "collecting" ? "Freeing…" : `Free ${formatBytes(step.plan.bytes)}`}
              </button>
            ) : null}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Body(props: { readonly step: Step }) {
  const { step } = props;
  switch (step.step) {
    case "checking":
      return <p className="muted">Checking what can be freed…</p>;
    case "ready":
    case "collecting":
      return step.plan.blobs === 0 ? (
        <p>Nothing to free: every stored file is in use.</p>
      ) : (
        <p>
          This frees <strong>{formatBytes(step.plan.bytes)}</strong> in {formatCount(step.plan.blobs)}{" "}
          {step.plan.blobs === 1 ? "file" : "files"}.
        </p>
      );
    case "done":
      return (
        <p role="status">
          Freed {formatBytes(step.result.bytes)} ({formatCount(step.result.blobs)}{" "}
          {step.result.blobs === 1 ? "file" : "files"}).
        </p>
      );
    case "failed":
      return (
        <div className="banner danger" role="alert">
          {step.message}
        </div>
      );
    default: {
      const never: never = step;
      return never;
    }
  }
}
