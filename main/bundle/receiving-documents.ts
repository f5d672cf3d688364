import type { BundleManifest } from "./bundle-manifest.js";
import { CLI_CONFIG_PATH, README_PATH } from "./bundle-layout.js";
import type { GeneratedDocument } from "./mirror-documents.js";

/** Placeholder in larder.tfrc for the absolute path of the unpacked bundle (CLI configs have no variables). */
export const BUNDLE_DIR_PLACEHOLDER = "@BUNDLE_DIR@";

/** The CLI config that makes terraform/tofu install providers from the unpacked bundle and nothing else. */
export function cliConfigDocument(hosts: readonly string[]): GeneratedDocument {
  const include = hosts.map((host) => `"${host}/*/*"`).join(", ");
  const text = `# terraform / tofu CLI configuration for this unpacked Larder bundle.
# Replace ${BUNDLE_DIR_PLACEHOLDER} with the absolute path of the folder this file is in, e.g.:
#   sed "s#${BUNDLE_DIR_PLACEHOLDER}#$PWD#" larder.tfrc > ~/larder.tfrc && export TF_CLI_CONFIG_FILE=~/larder.tfrc
provider_installation {
  filesystem_mirror {
    path    = "${BUNDLE_DIR_PLACEHOLDER}/providers"
    include = [${include}]
  }
}
`;
  return { path: CLI_CONFIG_PATH, bytes: Buffer.from(text), purpose: "cli-config" };
}

/** The README for whoever receives the bundle, possibly without Larder. */
export function readmeDocument(
  manifest: Pick<BundleManifest, "id" | "createdAt" | "larderVersion" | "parent">,
  contents: { providers: readonly string[]; modules: readonly string[] },
): GeneratedDocument {
  const list = (items: readonly string[]): string =>
    items.length === 0 ? "- (none)\n" : items.map((item) => `- ${item}`).join("\n") + "\n";
  const parent = manifest.parent
    ? `\nThis is an incremental bundle: it holds only what bundle ${manifest.parent.id} lacked. Import (or unpack)
that one first.\n`
    : "";
  const text = `# Larder bundle ${manifest.id}

Created ${manifest.createdAt} by Larder ${manifest.larderVersion}.
${parent}
## Check it

\`SHA256SUMS\` lists every file of the bundle (including \`manifest.json\`); \`SHA256SUMS.sig\`, when present, is a
detached OpenPGP signature of it by the sender. Without Larder:

    gpg --verify SHA256SUMS.sig SHA256SUMS   # with the sender's public key imported
    sha256sum -c SHA256SUMS

With Larder, \`larder bundle verify BUNDLE.tar --trust-key sender.asc\` re-checks everything offline, including the
registry signature of every provider's SHA256SUMS and the \`h1:\` hash of every provider archive.

## Use it with Larder

    larder bundle import BUNDLE.tar --trust-key sender.asc && larder serve

(\`--allow-unsigned\` instead of \`--trust-key\` imports on the registry signatures inside the bundle alone.)

Providers and modules are then served exactly as on the sending side (\`larder terraformrc\` prints the CLI config).

## Use it without Larder

Unpack the bundle (\`tar -xf BUNDLE.tar\`, or \`tar -xzf\` for a \`.tar.gz\`). The \`providers/\` folder is both:

- a **filesystem mirror** in terraform's packed layout: put the path of this folder into \`larder.tfrc\` (see the
  comment in it) and set \`TF_CLI_CONFIG_FILE\` to it;
- a **network mirror**: serve the folder that contains \`providers/\` from any static HTTPS server that sends
  \`.json\` as \`application/json\`, and use
  \`provider_installation { network_mirror { url = "https://HOST/providers/" } }\`.

Modules lie in \`modules/HOST/NAMESPACE/NAME/SYSTEM/VERSION.tar.gz\`; terraform has no module mirror setting, so
serve them with Larder (import) or reference an archive directly as a module source.

## Providers

${list(contents.providers)}
## Modules

${list(contents.modules)}`;
  return { path: README_PATH, bytes: Buffer.from(text), purpose: "readme" };
}
