import { domainToASCII } from "node:url";
import { LarderError } from "./errors.js";

/**
 * Registry host names in the form terraform compares them (svchost.ForComparison): IDNA to ASCII, lower case,
 * `:443` dropped, any other port kept. Stored keys and URL segments always use this form.
 */
export function normalizeHostname(input: string): string {
  const trimmed = input.trim();
  const match = /^([^:/\s]+)(?::(\d{1,5}))?$/.exec(trimmed);
  const name = match?.[1];
  if (!match || name === undefined) {
    throw new LarderError(
      "invalid_input",
      `Invalid registry host "${input}": expected a host name such as registry.terraform.io, optionally with :port.`,
    );
  }
  const ascii = domainToASCII(name);
  if (ascii === "" || ascii.split(".").some((label) => label === "")) {
    throw new LarderError(
      "invalid_input",
      `Invalid registry host "${input}": "${name}" is not a valid host name.`,
    );
  }
  const port = match[2];
  if (port === undefined) return ascii;
  const portNumber = Number(port);
  if (portNumber < 1 || portNumber > 65535) {
    throw new LarderError("invalid_input", `Invalid registry host "${input}": port ${port} is out of range.`);
  }
  // Compared as a number, as svchost does, so `:0443` is the default port too and not a second key for one host.
  return portNumber === 443 ? ascii : `${ascii}:${portNumber}`;
}
