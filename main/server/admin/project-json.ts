import type { Project, ProjectClientCheck } from "../../../shared/api/index.js";
import { formatModuleAddress } from "../../core/module-address.js";
import { formatPlatform, type Platform } from "../../core/platform.js";
import {
  moduleFixCommand,
  providerFixCommand,
  type ClientCheck,
} from "../../engine/project/check-project.js";
import type { ProjectReport } from "../../engine/project/saved-projects.js";

/** A saved project's report in the admin API's shape: null for what is unknown, a fix command per missing item. */
export function projectJson(report: ProjectReport): Project {
  const { record, outcome } = report;
  const checks =
    outcome.kind === "checked"
      ? outcome.checks.map((check) => checkJson(check, report.platforms, report.dataDirFlag))
      : [];
  const problems = checks.reduce(
    (sum, check) =>
      sum +
      [...check.providers, ...check.modules, ...check.remote].filter((entry) => entry.problem !== null)
        .length,
    0,
  );
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    path: record.path,
    clients: [...record.clients].filter((client) => client === "terraform" || client === "tofu"),
    platforms: [...record.platforms],
    reachable: [...record.reachable],
    createdAt: record.createdAt,
    checkedAt: report.checkedAt,
    status:
      outcome.kind === "error"
        ? { state: "error", message: outcome.message }
        : problems === 0
          ? { state: "ok" }
          : { state: "missing", problems },
    checkedFor: { clients: [...report.clients], platforms: report.platforms.map(formatPlatform) },
    checks,
    mirrorCommand: report.mirrorCommand,
  };
}

function checkJson(
  check: ClientCheck,
  platforms: readonly Platform[],
  dataDirFlag: string,
): ProjectClientCheck {
  return {
    client: check.client,
    ok: check.ok,
    providers: check.providers.map((status) => ({
      address: status.address,
      constraints: status.constraints,
      version: status.version ?? null,
      locked: status.locked,
      platforms: platforms.map(formatPlatform).map((platform) => {
        const stored = status.packages.find((pkg) => `${pkg.os}_${pkg.arch}` === platform);
        return { platform, stored: stored !== undefined, size: stored?.size ?? null };
      }),
      problem: status.problem ?? null,
      fix: fixOf(
        status.problem === undefined ? undefined : providerFixCommand(status, platforms),
        dataDirFlag,
      ),
    })),
    modules: check.modules.map((status) => ({
      address: `${formatModuleAddress(status.address)}${status.subdir === "" ? "" : `//${status.subdir}`}`,
      constraint: status.constraint ?? null,
      stored: status.stored ?? null,
      size: status.storedSize ?? null,
      calledFrom: status.calledFrom,
      problem: status.problem ?? null,
      fix: fixOf(
        status.problem === undefined ? undefined : moduleFixCommand(status, check.client, platforms),
        dataDirFlag,
      ),
    })),
    remote: check.remote.map((status) => ({
      source: status.source,
      calledFrom: status.calledFrom,
      host: status.host ?? null,
      read: status.read,
      problem: status.problem ?? null,
    })),
  };
}

function fixOf(command: string | undefined, dataDirFlag: string): string | null {
  return command === undefined ? null : `${command}${dataDirFlag}`;
}
