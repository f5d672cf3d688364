import { homedir } from "node:os";
import type { IncomingMessage, ServerResponse } from "node:http";
import { defaultDataDir } from "../core/data-dir.js";
import type { ModuleCoordinates } from "../engine/module-catalog.js";
import type { ProviderCoordinates } from "../engine/provider-catalog.js";

/**
 * Why a provider or module is not here, in words `init` shows the user. A bare 404 makes terraform and tofu print
 * "was not found in any of the search locations" or "Module not found", when the fix is one `larder mirror` away.
 *
 * Neither client shows a 404's body, and a registry `warnings` list is dropped when no version is listed (both
 * clients' MultiSource, seen with tofu 1.6.2). What they do print is the status line of any other client error:
 * "could not query provider registry for …: 410 <reason>" and "error looking up module versions: 410 <reason>".
 * So terraform and tofu get a 410 whose reason phrase names the command; every other client keeps the plain 404,
 * with the same words in its JSON body. `larder serve --plain-misses` gives everyone the 404: terraform then
 * falls through to a filesystem_mirror configured before Larder without an exclude, which a 410 would stop.
 */
export class MissExplanation {
  private readonly dataDirFlag: string;

  constructor(
    dataDir: string,
    /** false: a bare 404 for every client (`--plain-misses`). */
    private readonly explainToClients = true,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const isDefault = dataDir === defaultDataDir({ env, platform: process.platform, homeDir: homedir() });
    // The hint is run as written, so it names a data dir the command would not find by itself. Only visible
    // ASCII fits in a status line: a data dir with other characters is left out (the body still has it).
    const flag = isDefault ? "" : ` --data-dir ${shellQuote(dataDir)}`;
    this.dataDirFlag = /^[\x20-\x7e]*$/.test(flag) ? flag : "";
  }

  /** Answers a `versions` request for a provider Larder holds nothing of. */
  provider(req: IncomingMessage, res: ServerResponse, provider: ProviderCoordinates): void {
    const address = `${provider.host}/${provider.namespace}/${provider.type}`;
    this.send(req, res, `larder mirror provider ${address}${this.dataDirFlag}`);
  }

  /** Answers a `versions` request for a module Larder holds nothing of. */
  module(req: IncomingMessage, res: ServerResponse, module: ModuleCoordinates): void {
    const address = `${module.host}/${module.namespace}/${module.name}/${module.system}`;
    this.send(req, res, `larder mirror module ${address}${this.dataDirFlag}`);
  }

  private send(req: IncomingMessage, res: ServerResponse, command: string): void {
    const reason = `Not mirrored by Larder; to mirror it run: ${command}`;
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Type", "application/json");
    const toClient = this.explainToClients && isTerraformClient(req);
    res.statusCode = toClient ? 410 : 404;
    if (toClient) res.statusMessage = reason;
    res.end(JSON.stringify({ errors: [reason] }));
  }
}

/** terraform and tofu name themselves in User-Agent ("Terraform/1.9.0 …", "OpenTofu/1.6.2 …"). */
export function isTerraformClient(req: IncomingMessage): boolean {
  return /^(terraform|opentofu)\//i.test(req.headers["user-agent"] ?? "");
}

function shellQuote(value: string): string {
  return /^[\w./:@%+=-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
