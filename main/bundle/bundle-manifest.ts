import { z } from "zod";
import { LarderError } from "../core/errors.js";
import { normalizeHostname } from "../core/hostname.js";
import { isValidPlatformSegment } from "../core/platform.js";
import { normalizeProviderPart } from "../core/provider-address.js";
import { parseVersion } from "../core/version.js";

/** The manifest format this Larder writes and the newest it reads. */
export const BUNDLE_FORMAT_VERSION = 2 as const;

/** Fixed names at the top of every bundle. */
export const MANIFEST_PATH = "manifest.json";
export const BUNDLE_SUMS_PATH = "SHA256SUMS";
export const BUNDLE_SIGNATURE_PATH = "SHA256SUMS.sig";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a lower-case hex sha256");
const segment = z.string().min(1).max(255);

/**
 * A coordinate in the exact form Larder stores and looks up. A bundle is written by another machine: a name the
 * engine would normalise differently (`HashiCorp`, `Linux`, `v1.0`) would be stored but never served.
 */
function canonical(normalize: (value: string) => string, what: string): z.ZodType<string> {
  return segment.refine((value) => {
    try {
      return normalize(value) === value;
    } catch {
      return false;
    }
  }, `not a canonical ${what}`);
}

const hostField = canonical(normalizeHostname, "registry host name");
const namespaceField = canonical((value) => normalizeProviderPart(value, "namespace"), "provider namespace");
const typeField = canonical((value) => normalizeProviderPart(value, "type"), "provider type");
const versionField = segment.refine((value) => parseVersion(value) !== undefined, "not a semantic version");
const platformField = segment.refine(isValidPlatformSegment, "not a lower-case platform word");

const fileFields = {
  path: z.string().min(1).max(1024),
  size: z.number().int().nonnegative(),
  sha256,
};

/** What was checked when the package was first stored (architecture §6), kept for the far side to read. */
const verificationSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("verified"),
    method: z.literal("openpgp-detached-signature"),
    keyId: z.string().min(1),
  }),
  // Format 2: a keyless registry.opentofu.org provider, stored on its checksums alone (tofu's rule).
  z.object({ status: z.literal("unsigned"), method: z.literal("sha256-checksums") }),
]);

const releaseFields = {
  host: hostField,
  namespace: namespaceField,
  type: typeField,
  version: versionField,
  /** The upstream URL the file came from. */
  url: z.string(),
  /** The verifying key; "" for an unsigned release. */
  signingKeyId: z.string(),
  verification: verificationSchema,
};

const providerPackageSchema = z.strictObject({
  kind: z.literal("provider-package"),
  ...fileFields,
  ...releaseFields,
  os: platformField,
  arch: platformField,
  /** The upstream file name (served as is by providers.v1). */
  filename: segment,
  protocols: z.array(z.string()),
  h1: z.string().startsWith("h1:"),
  zh: z.string().startsWith("zh:"),
});

const providerShasumsSchema = z.strictObject({
  kind: z.literal("provider-shasums"),
  ...fileFields,
  ...releaseFields,
});

/** One signing key exactly as the registry returned it (served back verbatim after import). */
const signingKeySchema = z.looseObject({ ascii_armor: z.string().min(1) });

const providerSignatureSchema = z
  .strictObject({
    kind: z.literal("provider-signature"),
    ...fileFields,
    ...releaseFields,
    signingKeys: z.array(signingKeySchema),
  })
  // A verified release names the keys that checked it; only an unsigned (keyless) one comes without.
  .refine((entry) => entry.verification.status === "unsigned" || entry.signingKeys.length > 0, {
    message: "a verified release must carry its signing keys",
    path: ["signingKeys"],
  });

const moduleArchiveSchema = z.strictObject({
  kind: z.literal("module-archive"),
  ...fileFields,
  host: hostField,
  namespace: segment,
  name: segment,
  system: segment,
  version: versionField,
  subdir: z.string(),
  sourceKind: z.enum(["archive", "github", "git"]),
  url: z.string(),
});

/** Generated files: network-mirror JSON, the receiving side's README and CLI config. */
const documentSchema = z.strictObject({
  kind: z.literal("document"),
  ...fileFields,
  purpose: z.enum(["readme", "cli-config", "mirror-index", "mirror-version"]),
});

const entrySchema = z.discriminatedUnion("kind", [
  providerPackageSchema,
  providerShasumsSchema,
  providerSignatureSchema,
  moduleArchiveSchema,
  documentSchema,
]);

const manifestSchema = z.strictObject({
  format: z.literal("larder-bundle"),
  // Format 1 (no unsigned packages) is read as it is: format 2 only added the unsigned verification.
  formatVersion: z.union([z.literal(1), z.literal(BUNDLE_FORMAT_VERSION)]),
  id: z.uuid(),
  larderVersion: z.string(),
  createdAt: z.iso.datetime(),
  parent: z.strictObject({ id: z.uuid(), createdAt: z.iso.datetime() }).nullable(),
  entries: z.array(entrySchema),
});

export type BundleManifest = z.infer<typeof manifestSchema>;
export type BundleEntry = z.infer<typeof entrySchema>;
export type ProviderPackageEntry = z.infer<typeof providerPackageSchema>;
export type ProviderShasumsEntry = z.infer<typeof providerShasumsSchema>;
export type ProviderSignatureEntry = z.infer<typeof providerSignatureSchema>;
export type ModuleArchiveEntry = z.infer<typeof moduleArchiveSchema>;
export type DocumentEntry = z.infer<typeof documentSchema>;
export type BundleSigningKey = z.infer<typeof signingKeySchema>;

/**
 * Parses manifest bytes. A manifest from a newer format is refused by its version before the schema is applied,
 * so the message says "upgrade Larder" rather than listing fields this Larder does not know.
 */
export function parseManifest(bytes: Uint8Array, bundle: string): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new LarderError(
      "verification_failed",
      `${bundle}: refusing the bundle: manifest.json is not valid JSON (${String(error)}). Nothing was written.`,
    );
  }
  const version = z.looseObject({ formatVersion: z.number() }).safeParse(json);
  if (version.success && version.data.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new LarderError(
      "unsupported",
      `${bundle}: refusing the bundle: its manifest has format version ${version.data.formatVersion}, but this Larder reads up to ${BUNDLE_FORMAT_VERSION}. Upgrade Larder on this side to import it. Nothing was written.`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") || "(root)" : "(root)";
    throw new LarderError(
      "verification_failed",
      `${bundle}: refusing the bundle: manifest.json fails the schema check at ${where} (${issue?.message ?? "invalid"}). Nothing was written.`,
    );
  }
  return parsed.data;
}

/** Serialises a manifest the way the writer stores it (stable, readable). */
export function serializeManifest(manifest: BundleManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
}
