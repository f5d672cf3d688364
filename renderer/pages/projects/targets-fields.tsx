import type { Client } from "../../../shared/api/common.js";
import type { FieldErrors } from "../../state/projects.js";

/** What a project is checked for, as typed: lists are kept as the text a person edits until they are sent. */
export interface TargetsDraft {
  readonly clients: readonly Client[];
  readonly platforms: string;
  readonly reachable: string;
}

export const NO_TARGETS: TargetsDraft = { clients: [], platforms: "", reachable: "" };

const CLIENTS: readonly { readonly client: Client; readonly label: string }[] = [
  { client: "terraform", label: "Terraform" },
  { client: "tofu", label: "OpenTofu (tofu)" },
];

/** Words split on commas or spaces; the server judges each (its rules are the one source of truth). */
function listOf(text: string): string[] {
  return text.split(/[\s,]+/).filter((word) => word !== "");
}

/** The draft as the API takes it. */
export function targetsOf(draft: TargetsDraft): {
  clients: Client[];
  platforms: string[];
  reachable: string[];
} {
  return {
    clients: [...draft.clients],
    platforms: listOf(draft.platforms),
    reachable: listOf(draft.reachable),
  };
}

/** A project's saved targets as a draft to edit. */
export function draftOf(targets: {
  readonly clients: readonly Client[];
  readonly platforms: readonly string[];
  readonly reachable: readonly string[];
}): TargetsDraft {
  return {
    clients: targets.clients,
    platforms: targets.platforms.join(", "),
    reachable: targets.reachable.join(", "),
  };
}

function FieldError(props: { readonly id: string; readonly message: string | undefined }) {
  return props.message === undefined ? null : (
    <span id={props.id} className="field-error">
      {props.message}
    </span>
  );
}

/** Clients, platforms and reachable hosts, each with what leaving it empty means and the server's word on it. */
export function TargetsFields(props: {
  readonly idPrefix: string;
  readonly draft: TargetsDraft;
  readonly fields: FieldErrors;
  readonly onChange: (draft: TargetsDraft) => void;
}) {
  const { idPrefix, draft, fields, onChange } = props;
  const text = (key: "platforms" | "reachable", hint: string, label: string, placeholder: string) => {
    const id = `${idPrefix}-${key}`;
    const error = fields[key];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          className="input mono"
          placeholder={placeholder}
          value={draft[key]}
          aria-invalid={error === undefined ? undefined : true}
          aria-describedby={error === undefined ? `${id}-hint` : `${id}-error ${id}-hint`}
          onChange={(event) => {
            onChange({ ...draft, [key]: event.target.value });
          }}
        />
        <FieldError id={`${id}-error`} message={error} />
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      </div>
    );
  };
  return (
    <div className="stack">
      <fieldset className="choices inline">
        <legend>Clients</legend>
        {CLIENTS.map(({ client, label }) => (
          <label key={client} className="choice">
            <input
              type="checkbox"
              checked={draft.clients.includes(client)}
              onChange={(event) => {
                onChange({
                  ...draft,
                  clients: event.target.checked
                    ? [...draft.clients, client]
                    : draft.clients.filter((entry) => entry !== client),
                });
              }}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <span className="hint small muted">None ticked: the clients chosen in Settings.</span>
      <FieldError id={`${idPrefix}-clients-error`} message={fields.clients} />
      <div className="form-grid targets-grid">
        {text(
          "platforms",
          "Where init must work, as os_arch. Empty: the machine Larder runs on.",
          "Platforms",
          "linux_amd64, darwin_arm64",
        )}
        {text(
          "reachable",
          "Hosts init can reach where it runs (an internal git server): modules from there are fine.",
          "Reachable hosts",
          "git.example.com",
        )}
      </div>
    </div>
  );
}
