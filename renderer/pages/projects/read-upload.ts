import { isProjectFileName, PROJECT_UPLOAD_LIMITS } from "../../../shared/api/projects.js";
import { formatBytes, formatCount } from "../../components/format.js";

/** What a folder chosen in the browser holds for a project: the files to send, and what was left out and why. */
export type FolderUpload =
  | {
      readonly kind: "ready";
      /** The chosen folder's name, the project's name to start with. */
      readonly folder: string;
      readonly files: readonly { readonly path: string; readonly content: string }[];
      readonly bytes: number;
      readonly skipped: Skipped;
    }
  | {
      readonly kind: "refused";
      readonly folder: string;
      readonly message: string;
      readonly skipped: Skipped;
    };

export interface Skipped {
  /** Files init does not read (README.md, *.tfvars, scripts…), with a few names to show. */
  readonly other: number;
  readonly examples: readonly string[];
  /** Files under folders init keeps to itself or tools own (.terraform, .git, node_modules). */
  readonly tooling: number;
}

/** Folders a project's upload never needs: init's own cache, VCS data, packages (the server's scan skips them too). */
function underToolingFolder(parts: readonly string[]): boolean {
  return parts.slice(0, -1).some((part) => part.startsWith(".") || part === "node_modules");
}

/**
 * The path of a file inside the chosen folder. A browser names a folder's files `chosen/sub/main.tf`: the first
 * part is the folder itself, which the project does not contain. A file picked on its own has only its name.
 */
export function pathInFolder(file: File): { readonly folder: string; readonly path: string } {
  const relative = file.webkitRelativePath === "" ? file.name : file.webkitRelativePath;
  const parts = relative.split("/");
  if (parts.length < 2) return { folder: "", path: relative };
  return { folder: parts[0] ?? "", path: parts.slice(1).join("/") };
}

/** Picks out what init reads from a chosen folder and reads it as text, within the upload limits. */
export async function readFolderUpload(chosen: readonly File[]): Promise<FolderUpload> {
  const keep: { file: File; path: string }[] = [];
  const examples: string[] = [];
  let other = 0;
  let tooling = 0;
  let folder = "";
  for (const file of chosen) {
    const located = pathInFolder(file);
    folder ||= located.folder;
    const parts = located.path.split("/");
    if (underToolingFolder(parts)) tooling += 1;
    else if (isProjectFileName(located.path)) keep.push({ file, path: located.path });
    else {
      other += 1;
      if (examples.length < 5) examples.push(located.path);
    }
  }
  const skipped: Skipped = { other, examples, tooling };
  const bytes = keep.reduce((sum, entry) => sum + entry.file.size, 0);
  const configuration = keep.filter((entry) => !entry.path.endsWith(".terraform.lock.hcl"));
  if (configuration.length === 0) {
    return {
      kind: "refused",
      folder,
      skipped,
      message:
        chosen.length === 0
          ? "The chosen folder is empty. Choose the folder you run terraform init in."
          : `No .tf or .tf.json file in ${folder === "" ? "what was chosen" : `"${folder}"`} (${formatCount(chosen.length)} file(s) looked at). Choose the folder you run terraform init in.`,
    };
  }
  if (keep.length > PROJECT_UPLOAD_LIMITS.files) {
    return {
      kind: "refused",
      folder,
      skipped,
      message: `${formatCount(keep.length)} configuration files is more than the ${formatCount(PROJECT_UPLOAD_LIMITS.files)} one upload may carry. Choose the project's own folder, or add it by its path on the Larder machine.`,
    };
  }
  if (bytes > PROJECT_UPLOAD_LIMITS.bytes) {
    return {
      kind: "refused",
      folder,
      skipped,
      message: `The configuration files weigh ${formatBytes(bytes)}, more than the ${formatBytes(PROJECT_UPLOAD_LIMITS.bytes)} one upload may carry. Add the project by its path on the Larder machine instead.`,
    };
  }
  const files = await Promise.all(
    keep
      .sort((a, b) => a.path.localeCompare(b.path))
      .map(async (entry) => ({ path: entry.path, content: await entry.file.text() })),
  );
  return { kind: "ready", folder, files, bytes, skipped };
}
