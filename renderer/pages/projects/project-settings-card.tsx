import { useState, type SyntheticEvent } from "react";
import type { Project } from "../../../shared/api/projects.js";
import { useProjects } from "../../state/projects.js";
import { draftOf, TargetsFields, targetsOf, type TargetsDraft } from "./targets-fields.js";

const IDLE = { state: "idle" } as const;

/**
 * The project's name and what it is checked for. Edits are a draft over the saved values; after a save the
 * server's answer (re-checked) replaces the project, and the draft is dropped.
 */
export function ProjectSettingsCard(props: { readonly project: Project }) {
  const { project } = props;
  const save = useProjects((s) => s.saves[project.id]) ?? IDLE;
  const update = useProjects((s) => s.update);
  const [name, setName] = useState<string | null>(null);
  const [draft, setDraft] = useState<TargetsDraft | null>(null);
  const fields = save.state === "failed" ? save.fields : {};
  const known = new Set(["name", "clients", "platforms", "reachable"]);
  const general =
    save.state === "failed" && Object.keys(fields).every((key) => !known.has(key)) ? save.message : null;
  const shown = draft ?? draftOf(project);
  const dirty = name !== null || draft !== null;
  const submit = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    const saved = await update(project.id, {
      ...(name === null ? {} : { name }),
      ...(draft === null ? {} : targetsOf(draft)),
    });
    if (saved) {
      setName(null);
      setDraft(null);
    }
  };
  return (
    <form
      className="card stack"
      aria-labelledby="project-settings-title"
      onSubmit={(event) => void submit(event)}
    >
      <h2 id="project-settings-title">What it is checked for</h2>
      <div className="field name-field">
        <label htmlFor="edit-project-name">Name</label>
        <input
          id="edit-project-name"
          className="input"
          value={name ?? project.name}
          aria-invalid={fields.name === undefined ? undefined : true}
          aria-describedby={fields.name === undefined ? undefined : "edit-project-name-error"}
          onChange={(event) => {
            setName(event.target.value);
          }}
        />
        {fields.name === undefined ? null : (
          <span id="edit-project-name-error" className="field-error">
            {fields.name}
          </span>
        )}
      </div>
      <TargetsFields idPrefix="edit-project" draft={shown} fields={fields} onChange={setDraft} />
      <div className="row">
        <button type="submit" className="button primary" disabled={!dirty || save.state === "saving"}>
          {save.state === "saving" ? "Saving and checking…" : "Save"}
        </button>
        {dirty ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setName(null);
              setDraft(null);
            }}
          >
            Discard changes
          </button>
        ) : null}
        {save.state === "saved" && !dirty ? (
          <span className="muted small" role="status">
            Saved and checked again.
          </span>
        ) : null}
      </div>
      {general !== null ? (
        <div className="banner danger wrap" role="alert">
          Could not save: {general}
        </div>
      ) : null}
    </form>
  );
}
