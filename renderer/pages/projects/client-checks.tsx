import * as Tabs from "@radix-ui/react-tabs";
import { CircleCheck, CircleX } from "lucide-react";
import type { Client } from "../../../shared/api/common.js";
import type { ProjectClientCheck } from "../../../shared/api/projects.js";
import { formatBytes } from "../../components/format.js";
import { Breakable } from "./breakable.js";

const CLIENT_NAMES: Record<Client, string> = { terraform: "Terraform", tofu: "OpenTofu" };

type Remote = ProjectClientCheck["remote"][number];

function readLabel(read: Remote["read"]): string {
  switch (read) {
    case "read":
      return "read";
    case "unsupported":
      return "cannot be read";
    case "not-read":
      return "not read yet";
    case "failed":
      return "reading failed";
  }
}

/** Where a module call is, relative to the project: "." is the project's own root module. */
function calledFromText(path: string) {
  return path === "." ? "the root module" : <span className="mono">{path}</span>;
}

function Problem(props: { readonly problem: string | null }) {
  return props.problem === null ? (
    <span className="muted">—</span>
  ) : (
    <span className="field-error break">{props.problem}</span>
  );
}

function ProvidersTable(props: { readonly check: ProjectClientCheck }) {
  const { check } = props;
  if (check.providers.length === 0) return <p className="muted">No providers.</p>;
  return (
    <div className="table-wrap">
      <table className="table compact check-table">
        <caption>Providers</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Version</th>
            <th scope="col">Lock file</th>
            <th scope="col">Platforms</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {check.providers.map((provider) => (
            <tr key={provider.address}>
              <th scope="row" className="mono break">
                <Breakable text={provider.address} />
              </th>
              <td>
                <span className="mono">{provider.version ?? "—"}</span>
                <span className="muted small block">
                  {provider.constraints === "" ? "any version" : provider.constraints}
                </span>
              </td>
              <td>{provider.locked ? "locked" : <span className="muted">not locked</span>}</td>
              <td>
                <ul className="platform-list">
                  {provider.platforms.map((platform) => (
                    <li key={platform.platform}>
                      <span className={`badge ${platform.stored ? "ok" : "danger"}`}>
                        {platform.platform}
                        {platform.stored ? ` · ${formatBytes(platform.size)}` : " · not stored"}
                      </span>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <Problem problem={provider.problem} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ModulesTable(props: { readonly check: ProjectClientCheck }) {
  const { modules } = props.check;
  if (modules.length === 0) return <p className="muted">No registry modules.</p>;
  return (
    <div className="table-wrap">
      <table className="table compact check-table">
        <caption>Registry modules</caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Stored version</th>
            <th scope="col">Called from</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {modules.map((module) => (
            <tr key={`${module.address} ${module.calledFrom}`}>
              <th scope="row" className="mono break">
                <Breakable text={module.address} />
              </th>
              <td>
                {module.stored === null ? (
                  <span className="muted">not stored</span>
                ) : (
                  <span className="mono">
                    {module.stored} <span className="muted">· {formatBytes(module.size)}</span>
                  </span>
                )}
                <span className="muted small block">{module.constraint ?? "any version"}</span>
              </td>
              <td className="break">{calledFromText(module.calledFrom)}</td>
              <td>
                <Problem problem={module.problem} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Modules init fetches from git or an HTTP URL itself: Larder reads what they need, it cannot serve them. */
export function RemoteTable(props: { readonly remote: readonly Remote[]; readonly caption: string }) {
  if (props.remote.length === 0) return <p className="muted">No git or HTTP modules.</p>;
  return (
    <div className="table-wrap">
      <table className="table compact check-table">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Called from</th>
            <th scope="col">Read</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {props.remote.map((remote) => (
            <tr key={`${remote.source} ${remote.calledFrom}`}>
              <th scope="row" className="mono break">
                <Breakable text={remote.source} />
                {remote.host !== null ? <span className="muted small block">from {remote.host}</span> : null}
              </th>
              <td className="break">{calledFromText(remote.calledFrom)}</td>
              <td className="nowrap">{readLabel(remote.read)}</td>
              <td>
                <Problem problem={remote.problem} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Each client's check in full, one tab per client: providers, registry modules, git and HTTP modules. */
export function ClientChecks(props: { readonly checks: readonly ProjectClientCheck[] }) {
  const first = props.checks[0];
  if (first === undefined) return null;
  return (
    <section className="card" aria-labelledby="checks-title">
      <h2 id="checks-title" className="section-title">
        What init installs
      </h2>
      <Tabs.Root defaultValue={first.client}>
        <Tabs.List className="tabs-list" aria-label="Client">
          {props.checks.map((check) => (
            <Tabs.Trigger key={check.client} value={check.client} className="tabs-trigger check-tab">
              {check.ok ? (
                <CircleCheck size={14} aria-hidden="true" className="ok-icon" />
              ) : (
                <CircleX size={14} aria-hidden="true" className="danger-icon" />
              )}
              {CLIENT_NAMES[check.client]}
              <span className="visually-hidden">
                {check.ok ? " (works offline)" : " (something missing)"}
              </span>
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {props.checks.map((check) => (
          <Tabs.Content key={check.client} value={check.client} className="stack check-panel">
            <ProvidersTable check={check} />
            <ModulesTable check={check} />
            <RemoteTable remote={check.remote} caption="Git and HTTP modules" />
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </section>
  );
}
