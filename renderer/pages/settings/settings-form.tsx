import { CheckCircle2 } from "lucide-react";
import { useState, type SyntheticEvent } from "react";
import type { Client } from "../../../shared/api/common.js";
import type { Settings, SettingsUpdate } from "../../../shared/api/settings.js";
import { useSettings } from "../../state/settings.js";
import { NumberField } from "./number-field.js";

type NumberKey = "pullThroughTtlSeconds" | "concurrency" | "perHostConcurrency" | "catalogRefreshHours";
type Draft = Partial<Record<NumberKey, string>> & {
  readonly clients?: readonly Client[];
  readonly pullThrough?: boolean;
  readonly requireSignatures?: boolean;
};

const CLIENTS: readonly Client[] = ["terraform", "tofu"];

/** What was changed, as the update to send. A number that does not parse goes as NaN (JSON null), so the server
 * names the field: its rules are the one source of truth. */
function updateOf(draft: Draft): SettingsUpdate {
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value.trim()));
  // Unchanged settings stay undefined, which JSON leaves out: the server keeps their values.
  return {
    clients: draft.clients === undefined ? undefined : [...draft.clients],
    pullThrough: draft.pullThrough,
    requireSignatures: draft.requireSignatures,
    pullThroughTtlSeconds: number(draft.pullThroughTtlSeconds),
    concurrency: number(draft.concurrency),
    perHostConcurrency: number(draft.perHostConcurrency),
    catalogRefreshHours: number(draft.catalogRefreshHours),
  };
}

/**
 * The mirror's settings. Edits are kept as a draft over the saved values, so a `settings` event from another
 * window updates what was not touched here.
 */
export function SettingsForm(props: { readonly settings: Settings }) {
  const { settings } = props;
  const save = useSettings((s) => s.save);
  const update = useSettings((s) => s.update);
  const [draft, setDraft] = useState<Draft>({});
  const fields = save.state === "failed" ? save.fields : {};
  const numberOf = (key: NumberKey): string => draft[key] ?? String(settings[key]);
  const clients = draft.clients ?? settings.clients;
  const pullThrough = draft.pullThrough ?? settings.pullThrough;
  const requireSignatures = draft.requireSignatures ?? settings.requireSignatures;
  const dirty = Object.keys(draft).length > 0;
  const submit = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    await update(updateOf(draft));
    if (useSettings.getState().save.state === "saved") setDraft({});
  };
  const numberProps = (key: NumberKey) => ({
    value: numberOf(key),
    error: fields[key],
    onChange: (value: string) => {
      setDraft({ ...draft, [key]: value });
    },
  });
  return (
    <form
      className="card stack"
      aria-labelledby="mirror-settings-title"
      onSubmit={(event) => void submit(event)}
    >
      <h2 id="mirror-settings-title">Mirror</h2>
      <fieldset className="choices inline">
        <legend>Clients</legend>
        {CLIENTS.map((client) => (
          <label key={client} className="choice">
            <input
              type="checkbox"
              checked={clients.includes(client)}
              onChange={(event) => {
                const next = event.target.checked
                  ? [...clients, client]
                  : clients.filter((entry) => entry !== client);
                setDraft({ ...draft, clients: next });
              }}
            />
            <span>{client === "tofu" ? "OpenTofu (tofu)" : "Terraform"}</span>
          </label>
        ))}
      </fieldset>
      {fields.clients ? <span className="field-error">{fields.clients}</span> : null}
      <label className="choice">
        <input
          type="checkbox"
          checked={pullThrough}
          onChange={(event) => {
            setDraft({ ...draft, pullThrough: event.target.checked });
          }}
        />
        <span>
          Pull-through
          <span className="muted">Fetch what the mirror lacks from upstream when a client asks for it.</span>
        </span>
      </label>
      <label className="choice">
        <input
          type="checkbox"
          checked={requireSignatures}
          onChange={(event) => {
            setDraft({ ...draft, requireSignatures: event.target.checked });
          }}
        />
        <span>
          Require signatures
          <span className="muted">Refuse keyless providers, even from registry.opentofu.org.</span>
        </span>
      </label>
      <div className="form-grid">
        <NumberField
          id="pullThroughTtlSeconds"
          label="Pull-through cache TTL (seconds)"
          hint="How long upstream version lists are reused."
          {...numberProps("pullThroughTtlSeconds")}
        />
        <NumberField
          id="concurrency"
          label="Concurrency"
          hint="Job downloads at once, in all (1–64)."
          {...numberProps("concurrency")}
        />
        <NumberField
          id="perHostConcurrency"
          label="Per-host concurrency"
          hint="Downloads at once from one upstream host (1–16)."
          {...numberProps("perHostConcurrency")}
        />
        <NumberField
          id="catalogRefreshHours"
          label="Catalog refresh (hours)"
          hint="0: only when refreshed by hand (0–720)."
          {...numberProps("catalogRefreshHours")}
        />
      </div>
      <div className="row">
        <button type="submit" className="button primary" disabled={!dirty || save.state === "saving"}>
          {save.state === "saving" ? "Saving…" : "Save settings"}
        </button>
        {dirty ? (
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setDraft({});
            }}
          >
            Discard changes
          </button>
        ) : null}
        <span role="status" aria-live="polite" className="row">
          {save.state === "saved" && !dirty ? (
            <span className="badge ok">
              <CheckCircle2 size={14} aria-hidden="true" /> Saved
            </span>
          ) : null}
        </span>
        {save.state === "failed" ? (
          <span className="field-error" role="alert">
            Not saved: {Object.keys(save.fields).length > 0 ? "check the field marked above." : save.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
