import { Globe, PlugZap, Trash2 } from "lucide-react";
import { useState, type SyntheticEvent } from "react";
import type { Settings } from "../../../shared/api/settings.js";
import { EmptyState } from "../../components/states.js";
import { useSettings } from "../../state/settings.js";
import { UpstreamCheckResult } from "./upstream-check.js";

/**
 * Upstream registries: where Larder reaches each host, and the token for a private one. A token goes in and is
 * never shown again: the list only says whether one is set.
 */
export function UpstreamsCard(props: { readonly settings: Settings }) {
  const upstreams = props.settings.upstreams;
  const upstreamSave = useSettings((s) => s.upstreamSave);
  const setUpstream = useSettings((s) => s.setUpstream);
  const removeUpstream = useSettings((s) => s.removeUpstream);
  const checks = useSettings((s) => s.upstreamChecks);
  const testUpstream = useSettings((s) => s.testUpstream);
  const [host, setHost] = useState("");
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const fields = upstreamSave.state === "failed" ? upstreamSave.fields : {};
  const submit = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    const added = await setUpstream(host.trim(), {
      ...(url.trim() === "" ? {} : { url: url.trim() }),
      ...(token === "" ? {} : { token }),
    });
    if (added) {
      setHost("");
      setUrl("");
      setToken("");
    }
  };
  const fieldError = (path: string) =>
    fields[path] === undefined ? null : (
      <span id={`upstream-${path}-error`} className="field-error">
        {fields[path]}
      </span>
    );
  return (
    <section className="card stack" aria-labelledby="upstreams-title">
      <h2 id="upstreams-title">Upstream registries</h2>
      {upstreams.length === 0 ? (
        <EmptyState icon={Globe} title="Every registry at its public address">
          Add a private registry, or a different address for a public one.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Upstream registries</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Reached at</th>
                <th scope="col">Token</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {upstreams.map((upstream) => (
                <tr key={upstream.host}>
                  <td className="mono">{upstream.host}</td>
                  <td className="mono small break">{upstream.url ?? "its public address"}</td>
                  <td>
                    {upstream.hasToken ? (
                      <span className="badge info">token set</span>
                    ) : (
                      <span className="muted small">none</span>
                    )}
                  </td>
                  <td>
                    <div className="row nowrap">
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Test ${upstream.host}`}
                        disabled={checks[upstream.host]?.state === "running"}
                        onClick={() => void testUpstream(upstream.host)}
                      >
                        <PlugZap size={14} aria-hidden="true" /> Test
                      </button>
                      {upstream.source === "flag" ? (
                        <span className="muted small">set by larder serve --upstream</span>
                      ) : (
                        <button
                          type="button"
                          className="button small danger"
                          aria-label={`Remove ${upstream.host}`}
                          onClick={() => void removeUpstream(upstream.host)}
                        >
                          <Trash2 size={14} aria-hidden="true" /> Remove
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {upstreams.map((upstream) => {
        const check = checks[upstream.host];
        return check ? <UpstreamCheckResult key={upstream.host} host={upstream.host} check={check} /> : null;
      })}
      <form className="stack" aria-labelledby="add-upstream-title" onSubmit={(event) => void submit(event)}>
        <h3 id="add-upstream-title">Add a registry</h3>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="upstream-host">Registry host</label>
            <input
              id="upstream-host"
              className="input mono"
              placeholder="registry.example.com"
              required
              value={host}
              aria-invalid={fields.host === undefined ? undefined : true}
              onChange={(event) => {
                setHost(event.target.value);
              }}
            />
            {fieldError("host")}
          </div>
          <div className="field">
            <label htmlFor="upstream-url">Address (optional)</label>
            <input
              id="upstream-url"
              className="input mono"
              placeholder="https://registry.example.com"
              value={url}
              aria-invalid={fields.url === undefined ? undefined : true}
              onChange={(event) => {
                setUrl(event.target.value);
              }}
            />
            {fieldError("url")}
          </div>
          <div className="field">
            <label htmlFor="upstream-token">Token (optional)</label>
            <input
              id="upstream-token"
              type="password"
              autoComplete="off"
              className="input"
              value={token}
              aria-invalid={fields.token === undefined ? undefined : true}
              onChange={(event) => {
                setToken(event.target.value);
              }}
            />
            {fieldError("token")}
            <span className="hint">Stored on the Larder machine; never shown again.</span>
          </div>
        </div>
        <div className="row">
          <button
            type="submit"
            className="button"
            disabled={upstreamSave.state === "saving" || host.trim() === ""}
          >
            Add registry
          </button>
          {upstreamSave.state === "failed" ? (
            <span className="field-error" role="alert">
              {upstreamSave.message}
            </span>
          ) : null}
          {upstreamSave.state === "saved" ? (
            <span className="badge ok" role="status">
              Saved
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}
