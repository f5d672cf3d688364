import { FolderOpen, FolderPlus } from "lucide-react";
import { useState, type SyntheticEvent } from "react";
import { useNavigate } from "react-router";
import type { AddProjectRequest } from "../../../shared/api/projects.js";
import { desktopApi } from "../../app/desktop.js";
import { Choice } from "../../components/choice.js";
import { formatBytes, formatCount } from "../../components/format.js";
import { useProjects } from "../../state/projects.js";
import { readFolderUpload, type FolderUpload } from "./read-upload.js";
import { NO_TARGETS, TargetsFields, targetsOf, type TargetsDraft } from "./targets-fields.js";

type Source = "folder" | "upload";

/** What the chosen folder gives, and what was left out: a person sees why their README did not go. */
function UploadSummary(props: { readonly upload: FolderUpload }) {
  const { upload } = props;
  const { other, examples, tooling } = upload.skipped;
  const skipped = [
    other > 0
      ? `${formatCount(other)} other file(s) init does not read (${examples.join(", ")}${other > examples.length ? ", …" : ""})`
      : null,
    tooling > 0
      ? `${formatCount(tooling)} file(s) under .terraform, .git, other hidden folders or node_modules`
      : null,
  ].filter((line) => line !== null);
  return (
    <div className="stack upload-summary" role="status">
      {upload.kind === "ready" ? (
        <p>
          <strong>{formatCount(upload.files.length)}</strong> file(s) of configuration from{" "}
          <span className="mono">{upload.folder || "the chosen files"}</span> ({formatBytes(upload.bytes)})
          will be sent: <span className="mono break">{upload.files.map((file) => file.path).join(", ")}</span>
        </p>
      ) : (
        <p className="field-error">{upload.message}</p>
      )}
      {skipped.length > 0 ? <p className="muted small">Skipped {skipped.join("; ")}.</p> : null}
    </div>
  );
}

/**
 * Add a project: a folder on the Larder machine (typed, or in the desktop app chosen with the system's folder
 * dialog), or a folder uploaded from this browser, of which only what init reads is sent. Once added, its page
 * shows whether init works offline.
 */
export function AddProjectCard() {
  const adding = useProjects((s) => s.adding);
  const add = useProjects((s) => s.add);
  const resetAdding = useProjects((s) => s.resetAdding);
  const navigate = useNavigate();
  const desktop = desktopApi();
  const [source, setSource] = useState<Source>("folder");
  const [path, setPath] = useState("");
  const [name, setName] = useState("");
  const [nameTyped, setNameTyped] = useState(false);
  const [upload, setUpload] = useState<FolderUpload | "reading" | null>(null);
  const [targets, setTargets] = useState<TargetsDraft>(NO_TARGETS);
  const [showTargets, setShowTargets] = useState(false);
  const fields = adding.state === "failed" ? adding.fields : {};
  const known = new Set(["path", "name", "files", "clients", "platforms", "reachable"]);
  // A refusal about no field this form shows (or none at all) is said in full under the button.
  const general =
    adding.state === "failed" && Object.keys(fields).every((key) => !known.has(key)) ? adding.message : null;
  const ready =
    adding.state !== "saving" &&
    (source === "folder" ? path.trim() !== "" : typeof upload === "object" && upload?.kind === "ready");

  const pick = (next: Source): void => {
    setSource(next);
    resetAdding();
    // A name taken from an uploaded folder does not belong to a folder typed next.
    if (!nameTyped) setName("");
  };
  const submit = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    let request: AddProjectRequest;
    if (source === "folder") {
      request = {
        kind: "folder",
        path: path.trim(),
        ...(name.trim() === "" ? {} : { name: name.trim() }),
        ...targetsOf(targets),
      };
    } else {
      if (typeof upload !== "object" || upload?.kind !== "ready") return;
      request = { kind: "upload", name: name.trim(), files: [...upload.files], ...targetsOf(targets) };
    }
    const project = await add(request);
    if (project !== null) {
      resetAdding();
      void navigate(`/projects/${project.id}`);
    }
  };
  const fieldError = (key: string) =>
    fields[key] === undefined ? null : (
      <span id={`project-${key}-error`} className="field-error">
        {fields[key]}
      </span>
    );
  const described = (key: string, hint: string) =>
    fields[key] === undefined ? hint : `project-${key}-error ${hint}`;

  return (
    <form className="card stack" aria-labelledby="add-project-title" onSubmit={(event) => void submit(event)}>
      <h2 id="add-project-title">Add a project</h2>
      <fieldset className="choices inline">
        <legend>Where it is</legend>
        <Choice
          name="project-source"
          value="folder"
          current={source}
          onPick={pick}
          label={desktop ? "A folder on this computer" : "A folder on the Larder machine"}
        />
        <Choice
          name="project-source"
          value="upload"
          current={source}
          onPick={pick}
          label="Upload a folder from this browser"
        />
      </fieldset>
      {source === "folder" ? (
        <div className="field path-fields">
          <label htmlFor="project-path">Project folder</label>
          <div className="input-with-button">
            <input
              id="project-path"
              className="input mono"
              placeholder="/home/me/infra/live"
              value={path}
              aria-invalid={fields.path === undefined ? undefined : true}
              aria-describedby={described("path", "project-path-hint")}
              onChange={(event) => {
                setPath(event.target.value);
              }}
            />
            {desktop ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  void desktop.openProjectFolder().then((chosen) => {
                    if (chosen !== null) setPath(chosen);
                  });
                }}
              >
                <FolderOpen size={16} aria-hidden="true" /> Choose a folder…
              </button>
            ) : null}
          </div>
          {fieldError("path")}
          <span id="project-path-hint" className="hint">
            The folder you run terraform init in, as an absolute path
            {desktop ? "" : " on the machine Larder runs on"}. Larder reads its .tf files and lock file there
            each time it checks, and never changes them.
          </span>
        </div>
      ) : (
        <div className="field">
          <label htmlFor="project-files">Project folder</label>
          <input
            id="project-files"
            type="file"
            className="file-input folder-input"
            webkitdirectory=""
            multiple
            aria-invalid={fields.files === undefined ? undefined : true}
            aria-describedby={described("files", "project-files-hint")}
            onChange={(event) => {
              const chosen = [...(event.target.files ?? [])];
              resetAdding();
              setUpload("reading");
              void readFolderUpload(chosen).then((read) => {
                setUpload(read);
                // The folder's name, unless a person typed one: what they typed is theirs.
                if (!nameTyped) setName(read.folder);
              });
            }}
          />
          {fieldError("files")}
          <span id="project-files-hint" className="hint">
            The folder you run terraform init in. Only its .tf, .tf.json and .terraform.lock.hcl files are
            sent (a copy kept in Larder's data folder); upload it again after you change them.
          </span>
          {upload === "reading" ? (
            <span className="muted small" role="status">
              Reading the folder…
            </span>
          ) : upload !== null ? (
            <UploadSummary upload={upload} />
          ) : null}
        </div>
      )}
      <div className="field name-field">
        <label htmlFor="project-name">Name{source === "folder" ? " (optional)" : ""}</label>
        <input
          id="project-name"
          className="input"
          placeholder={source === "upload" ? "Named after the chosen folder" : "The folder's name"}
          value={name}
          aria-invalid={fields.name === undefined ? undefined : true}
          aria-describedby={fields.name === undefined ? undefined : "project-name-error"}
          onChange={(event) => {
            setName(event.target.value);
            setNameTyped(event.target.value !== "");
          }}
        />
        {fieldError("name")}
      </div>
      <details
        className="targets-details"
        // Opened by a refusal about what is inside it, so the message is never hidden.
        open={showTargets || ["clients", "platforms", "reachable"].some((key) => key in fields)}
        onToggle={(event) => {
          setShowTargets(event.currentTarget.open);
        }}
      >
        <summary>Check it for particular clients, platforms or reachable hosts</summary>
        <TargetsFields idPrefix="new-project" draft={targets} fields={fields} onChange={setTargets} />
      </details>
      <div className="row">
        <button type="submit" className="button primary" disabled={!ready}>
          <FolderPlus size={16} aria-hidden="true" />
          {adding.state === "saving" ? "Adding and checking…" : "Add project"}
        </button>
      </div>
      {general !== null ? (
        <div className="banner danger wrap" role="alert">
          Could not add the project: {general}
        </div>
      ) : null}
    </form>
  );
}
