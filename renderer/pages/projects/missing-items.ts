import type { Client } from "../../../shared/api/common.js";
import type { Project } from "../../../shared/api/projects.js";

/** One thing init would fail on offline, with the clients it fails for and the command that fixes it. */
export interface MissingItem {
  readonly key: string;
  readonly kind: "provider" | "module" | "git or HTTP module";
  /** The address or source, as the configuration names it. */
  readonly what: string;
  readonly problem: string;
  readonly fix: string | null;
  readonly clients: readonly Client[];
}

/**
 * Every problem of every client's check, once each: terraform and tofu usually lack the same provider for the
 * same reason, and a person needs to read (and run) its fix once.
 */
export function missingItems(project: Project): MissingItem[] {
  const items = new Map<string, MissingItem>();
  const note = (
    kind: MissingItem["kind"],
    what: string,
    problem: string,
    fix: string | null,
    client: Client,
  ) => {
    const key = JSON.stringify([kind, what, problem, fix]);
    const known = items.get(key);
    items.set(key, { key, kind, what, problem, fix, clients: [...(known?.clients ?? []), client] });
  };
  for (const check of project.checks) {
    for (const provider of check.providers)
      if (provider.problem !== null)
        note("provider", provider.address, provider.problem, provider.fix, check.client);
    for (const module of check.modules)
      if (module.problem !== null) note("module", module.address, module.problem, module.fix, check.client);
    for (const remote of check.remote)
      if (remote.problem !== null)
        note("git or HTTP module", remote.source, remote.problem, null, check.client);
  }
  return [...items.values()];
}
