import type { Command } from "commander";
import { join } from "node:path";
import { auditCli, collect, openLarderFor, resolveDataDir } from "../cli-context.js";

interface TlsRotateOptions {
  readonly dataDir?: string;
  readonly tlsName?: string[];
}

/** `larder tls rotate`: replaces the local CA with a new, name-constrained one and says how to trust it. */
export function registerTls(program: Command): void {
  const tls = program
    .command("tls")
    .description("Larder's local certificate authority for the HTTPS listener");
  tls
    .command("rotate")
    .description(
      "Replace the local CA (ca.pem) with a new one that may only vouch for localhost, 127.0.0.0/8, ::1 and the " +
        "--tls-name names; the old CA's key is deleted. Trust the new CA afterwards, as printed.",
    )
    .option(
      "--tls-name <name>",
      "a host name or IP address other hosts reach larder serve by (repeatable; give the same to larder serve)",
      collect,
    )
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: TlsRotateOptions) => {
      // Loaded here, not at start: other commands never pay for the X.509 libraries.
      const { parseTlsName } = await import("../../server/tls/tls-names.js");
      const { rotateAuthority, writeTrustBundle } =
        await import("../../server/tls/local-certificate-authority.js");
      const names = (options.tlsName ?? []).map(parseTlsName);
      const tlsDir = join(resolveDataDir(options), "tls");
      const larder = await openLarderFor(options);
      try {
        const rotated = await auditCli(larder, "tls.rotate", tlsDir, () =>
          rotateAuthority(tlsDir, { names }),
        );
        const bundle = await writeTrustBundle(tlsDir, rotated.material.caCertPem);
        process.stdout.write(trustSteps(rotated, bundle, options));
      } finally {
        larder.close();
      }
    });
}

type Rotated = Awaited<
  ReturnType<typeof import("../../server/tls/local-certificate-authority.js").rotateAuthority>
>;

function trustSteps(rotated: Rotated, bundle: string, options: TlsRotateOptions): string {
  const ca = rotated.material.caCertPath;
  const extra = (options.tlsName ?? []).length === 0 ? "" : `, ${(options.tlsName ?? []).join(", ")}`;
  const old = rotated.replaced;
  const flags = (options.tlsName ?? []).map((name) => ` --tls-name ${name}`).join("");
  const dataDirFlag = options.dataDir === undefined ? "" : ` --data-dir ${options.dataDir}`;
  return [
    `New local CA: ${ca}`,
    `  It may only vouch for: localhost, 127.0.0.0/8, ::1${extra} (and subdomains of the host names).`,
    old
      ? `  Replaced: the old CA's key is deleted; its certificate is kept at ${old.certPath} (SHA-1 ${old.sha1}).`
      : "  There was no CA before.",
    "",
    "Trust the new CA where terraform/tofu run, in place of the old one:",
    `  SSL_CERT_FILE users: nothing to do, ${bundle} now holds the new CA.`,
    "  Linux:   sudo cp " +
      ca +
      " /usr/local/share/ca-certificates/larder.crt && sudo update-ca-certificates",
    ...(old
      ? [`  macOS:   sudo security delete-certificate -Z ${old.sha1} /Library/Keychains/System.keychain`]
      : []),
    `  macOS:   sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${ca}`,
    ...(old ? [`  Windows: certutil -user -delstore Root ${old.serial}`] : []),
    `  Windows: certutil -user -addstore Root ${ca}`,
    "",
    "A running larder serve presents a certificate from the new CA within the hour; restart it to switch at once.",
    ...(flags === "" ? [] : [`Serve with the same names: larder serve${flags}${dataDirFlag}`]),
    "",
  ].join("\n");
}
