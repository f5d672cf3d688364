import { AsnConvert } from "@peculiar/asn1-schema";
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from "@peculiar/asn1-x509";
import * as x509 from "@peculiar/x509";
import type { TlsName } from "./tls-names.js";

/** id-ce-nameConstraints (RFC 5280 §4.2.1.10). */
export const NAME_CONSTRAINTS_OID = "2.5.29.30";

/**
 * The X.509 name constraints of Larder's CA: it may only vouch for the permitted subtrees, so its private key, if
 * it leaks from a machine that trusts it, cannot mint a certificate for any other host. Critical, as RFC 5280
 * requires; Go and OpenSSL both enforce it.
 */
export function nameConstraintsExtension(permitted: readonly TlsName[]): x509.Extension {
  const subtrees = new GeneralSubtrees(
    permitted.map(
      (name) =>
        new GeneralSubtree({
          base: new GeneralName(name.type === "dns" ? { dNSName: name.value } : { iPAddress: name.value }),
        }),
    ),
  );
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: subtrees }));
  return new x509.Extension(NAME_CONSTRAINTS_OID, true, value);
}

/**
 * The permitted subtrees of a CA certificate (IP ones as address/prefix), or undefined when it has no name
 * constraints at all (a CA made by a release before issue 15).
 */
export function permittedSubtreesOf(cert: x509.X509Certificate): TlsName[] | undefined {
  const extension = cert.getExtension(NAME_CONSTRAINTS_OID);
  if (!extension) return undefined;
  const constraints = AsnConvert.parse(extension.value, NameConstraints);
  const names: TlsName[] = [];
  const subtrees = constraints.permittedSubtrees;
  if (!subtrees) return names;
  for (const subtree of subtrees) {
    if (subtree.base.dNSName !== undefined) names.push({ type: "dns", value: subtree.base.dNSName });
    else if (subtree.base.iPAddress !== undefined) names.push({ type: "ip", value: subtree.base.iPAddress });
  }
  return names;
}
