// What a module version's documentation says, whichever source gave it (a registry's docs API or the stored
// archive). Every part is null when its source does not offer it, so a partial answer is still an answer.

/** A README as Markdown; `truncated` when it was cut to maxReadmeBytes. */
export interface ModuleReadme {
  readonly markdown: string;
  readonly truncated: boolean;
}

/** A `module` block of the module's root: its label, source as written, and version constraint. */
export interface ModuleDocsCall {
  readonly name: string;
  readonly source: string;
  readonly version: string | null;
}

/** A `required_providers` entry (or a registry's provider dependency), as precise as its source was. */
export interface ModuleDocsProvider {
  readonly name: string;
  readonly namespace: string | null;
  readonly source: string | null;
  readonly version: string | null;
}

export interface ModuleDocsInput {
  readonly name: string;
  readonly description: string | null;
  /** Null when the source does not say (a registry answer without `required`). */
  readonly required: boolean | null;
}

export interface ModuleDocsOutput {
  readonly name: string;
  readonly description: string | null;
}

/** The documentation of one module version. */
export interface ModuleDocs {
  readonly readme: ModuleReadme | null;
  readonly dependencies: {
    readonly modules: readonly ModuleDocsCall[];
    readonly providers: readonly ModuleDocsProvider[];
  } | null;
  readonly inputs: readonly ModuleDocsInput[] | null;
  readonly outputs: readonly ModuleDocsOutput[] | null;
}

/** The most README kept: enough for any real module's, small enough for every detail answer to carry it. */
export const maxReadmeBytes = 256 * 1024;

/** The README within maxReadmeBytes of UTF-8, cut at a character boundary when longer. */
export function capReadme(markdown: string): ModuleReadme {
  const bytes = Buffer.byteLength(markdown, "utf8");
  if (bytes <= maxReadmeBytes) return { markdown, truncated: false };
  // Decoding a byte prefix may end in half a character, which becomes U+FFFD; drop that one.
  const cut = new TextDecoder().decode(new TextEncoder().encode(markdown).subarray(0, maxReadmeBytes));
  return { markdown: cut.replace(/\uFFFD$/, ""), truncated: true };
}

/** The namespace of a provider source address (`hashicorp/aws`, `registry.example.com/team/aws`), else null. */
export function providerNamespaceOf(source: string | null): string | null {
  const parts = source?.split("/") ?? [];
  return parts.length >= 2 ? (parts[parts.length - 2] ?? null) : null;
}
