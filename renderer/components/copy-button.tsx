import { Check, Copy } from "lucide-react";
import { useState } from "react";

/** Copies text to the clipboard and says so; the label names what is copied for screen readers and tests. */
export function CopyButton(props: { readonly text: string; readonly label: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => {
      setCopied("idle");
    }, 2000);
  };
  return (
    <button type="button" className="button small" onClick={() => void copy()} aria-label={props.label}>
      {copied === "copied" ? <Check size={14} aria-hidden="true" /> : <Copy size={14} aria-hidden="true" />}
      <span aria-live="polite">
        {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
      </span>
    </button>
  );
}
