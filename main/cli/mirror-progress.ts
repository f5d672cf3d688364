import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { MirrorEvent } from "../engine/mirror-providers.js";
import { describePackage } from "../engine/provider-package-ref.js";
import { ProgressMeter } from "../jobs/progress-meter.js";

/** Renders mirror events: progress bars on a terminal, one plain line per state change otherwise. */
export interface MirrorProgress {
  readonly onEvent: (event: MirrorEvent) => void;
  finish(): void;
}

/** Chooses bars or plain lines by whether the stream is a TTY. */
export function createMirrorProgress(stream: NodeJS.WriteStream): MirrorProgress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

function lineProgress(stream: NodeJS.WriteStream): MirrorProgress {
  const write = (line: string): void => {
    stream.write(`${line}\n`);
  };
  return {
    onEvent(event) {
      switch (event.kind) {
        case "planned":
          write(`Planned ${event.items.length} package(s).`);
          return;
        case "skipped":
          write(`already stored  ${describePackage(event.item)}`);
          return;
        case "started":
          write(`downloading     ${describePackage(event.item)}`);
          return;
        case "progress":
          return;
        case "stored":
          write(storedLine(describePackage(event.item), event.size, event.signed));
          return;
        case "failed":
          write(`FAILED          ${event.message}`);
          return;
      }
    },
    finish() {
      return;
    },
  };
}

function barProgress(stream: NodeJS.WriteStream): MirrorProgress {
  const multibar = new MultiBar(
    {
      stream,
      clearOnComplete: true,
      hideCursor: true,
      format: " {bar} {percentage}% | {name} | {done}/{size} | {rate} | ETA {eta}",
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  const meters = new Map<string, ProgressMeter>();
  let finished = false;
  const log = (line: string): void => {
    multibar.log(`${line}\n`);
  };
  return {
    onEvent(event) {
      if (event.kind === "planned") {
        log(`Planned ${event.items.length} package(s).`);
        return;
      }
      const name = describePackage(event.item);
      switch (event.kind) {
        case "skipped":
          log(`already stored  ${name}`);
          return;
        case "started":
          bars.set(name, multibar.create(1, 0, { name, done: "0 B", size: "?", rate: "-", eta: "-" }));
          meters.set(name, new ProgressMeter());
          return;
        case "progress": {
          const bar = bars.get(name);
          if (!bar) return;
          const total = event.bytesTotal ?? event.bytesDone;
          bar.setTotal(Math.max(total, 1));
          const figures = meters.get(name)?.update(event.bytesDone, event.bytesTotal);
          bar.update(event.bytesDone, {
            rate:
              figures && figures.bytesPerSecond > 0
                ? `${formatBytes(Math.round(figures.bytesPerSecond))}/s`
                : "-",
            eta: figures?.etaSeconds === undefined ? "-" : `${Math.ceil(figures.etaSeconds)}s`,
            done: formatBytes(event.bytesDone),
            size: event.bytesTotal === undefined ? "?" : formatBytes(total),
          });
          return;
        }
        case "stored":
        case "failed": {
          const bar = bars.get(name);
          if (bar) multibar.remove(bar);
          bars.delete(name);
          meters.delete(name);
          log(
            event.kind === "stored"
              ? storedLine(name, event.size, event.signed)
              : `FAILED          ${event.message}`,
          );
          return;
        }
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      multibar.stop();
    },
  };
}

/** The line for a stored package; a keyless one carries tofu's own warning, so nobody mistakes it for signed. */
function storedLine(name: string, size: number, signed: boolean): string {
  if (signed) return `stored          ${name} (${formatBytes(size)}, verified)`;
  return [
    `stored          ${name} (${formatBytes(size)}, UNSIGNED: checksums verified)`,
    `warning         Signature validation was skipped due to the registry not containing GPG keys for this provider; stored as unsigned (refuse such packages with --require-signatures).`,
  ].join("\n");
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit] ?? "B"}`;
}
