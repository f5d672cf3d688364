import { formatModuleAddress } from "../core/module-address.js";
import type { ModuleVersionRef } from "../engine/ingest-module-version.js";
import type { ModuleMirrorEvent } from "../engine/mirror-modules.js";
import { formatBytes } from "./mirror-progress.js";

/** As the engine's describeModule, without loading the module fetchers at CLI start. */
function describeModule(ref: ModuleVersionRef): string {
  return `${formatModuleAddress(ref.address)} ${ref.version}`;
}

/** Prints one line per module state change; the providers the modules require show in the mirror progress. */
export function moduleProgressLines(stream: NodeJS.WritableStream): (event: ModuleMirrorEvent) => void {
  return (event) => {
    switch (event.kind) {
      case "module-skipped":
        stream.write(`already stored  module ${describeModule(event.module)}\n`);
        return;
      case "module-started":
        stream.write(`fetching        module ${describeModule(event.module)}\n`);
        return;
      case "module-stored":
        stream.write(`stored          module ${describeModule(event.module)} (${formatBytes(event.size)})\n`);
        return;
      case "module-failed":
        stream.write(`FAILED          ${event.message}\n`);
        return;
    }
  };
}
