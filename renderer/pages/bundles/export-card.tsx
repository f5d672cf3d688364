import { Download, FolderOpen, HardDriveDownload } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import type { ExportPlanRequest } from "../../../shared/api/bundles.js";
import { formatBytes, formatCount, formatDateTime } from "../../components/format.js";
import { downloadUrl, useBundles } from "../../state/bundles.js";
import { desktopApi } from "../../app/desktop.js";
import { Choice } from "../../components/choice.js";
import { PathField } from "../../components/path-field.js";
import { NOTHING_PICKED, SelectionPicker, type Picked } from "./selection-picker.js";

type Scope = "everything" | "selection" | "since";
type Destination = "download" | "path";

function requestOf(scope: Scope, picked: Picked, since: string): ExportPlanRequest {
  switch (scope) {
    case "everything":
      return {};
    case "selection":
      return {
        providers: [...picked.providers],
        modules: [...picked.modules],
        platforms: [...picked.platforms],
        ...(picked.version.trim() === "" ? {} : { version: picked.version.trim() }),
      };
    case "since":
      return since === "" ? {} : { since };
  }
}

/** The export wizard: what to carry, where it goes (this browser or a file on the Larder machine), its exact size. */
export function ExportCard() {
  const inventory = useBundles((s) => s.inventory);
  const history = useBundles((s) => s.history) ?? [];
  const plan = useBundles((s) => s.plan);
  const written = useBundles((s) => s.written);
  const planFor = useBundles((s) => s.planFor);
  const writeToPath = useBundles((s) => s.writeToPath);
  const [scope, setScope] = useState<Scope>("everything");
  const [picked, setPicked] = useState<Picked>(NOTHING_PICKED);
  const [since, setSince] = useState("");
  const [destination, setDestination] = useState<Destination>("download");
  const [path, setPath] = useState("");
  const [signKeyPath, setSignKeyPath] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const sign = destination === "path" && signKeyPath.trim() !== "";
  const desktop = desktopApi();
  const request = useMemo(
    () => ({
      ...requestOf(scope, picked, since),
      ...(sign ? { signKeyPath: signKeyPath.trim(), signKeyPassphrase: passphrase || undefined } : {}),
    }),
    [scope, picked, since, sign, signKeyPath, passphrase],
  );
  const key = JSON.stringify(request);
  useEffect(() => {
    void planFor(request);
    // The request is compared by its JSON: a new object with the same content is not a new plan.
  }, [key, planFor]);
  const ready = plan.state === "done" && !(scope === "since" && since === "");
  return (
    <section className="card stack" aria-labelledby="export-title">
      <h2 id="export-title">Export a bundle</h2>
      <fieldset className="choices">
        <legend>What to carry</legend>
        <Choice name="scope" value="everything" current={scope} onPick={setScope} label="Everything stored" />
        <Choice name="scope" value="selection" current={scope} onPick={setScope} label="A selection" />
        <Choice
          name="scope"
          value="since"
          current={scope}
          onPick={setScope}
          label="Only what is new since an earlier bundle"
        />
      </fieldset>
      {scope === "selection" ? (
        <SelectionPicker inventory={inventory} picked={picked} onChange={setPicked} />
      ) : null}
      {scope === "since" ? (
        <div className="field">
          <label htmlFor="bundle-since">Earlier bundle</label>
          <select
            id="bundle-since"
            className="select"
            value={since}
            onChange={(event) => {
              setSince(event.target.value);
            }}
          >
            <option value="">Choose a bundle…</option>
            {history.map((record) => (
              <option key={`${record.direction}-${record.id}`} value={record.id}>
                {record.direction === "export" ? "Exported" : "Imported"} {formatDateTime(record.recordedAt)}{" "}
                — {record.id.slice(0, 8)} ({formatCount(record.entries)} entries)
              </option>
            ))}
          </select>
          {history.length === 0 ? (
            <span className="hint">No bundles yet: the first export has to carry everything.</span>
          ) : null}
        </div>
      ) : null}
      <fieldset className="choices inline">
        <legend>Where it goes</legend>
        <Choice
          name="destination"
          value="download"
          current={destination}
          onPick={setDestination}
          label={desktop ? "Download (you choose where to save it)" : "Download in this browser"}
        />
        <Choice
          name="destination"
          value="path"
          current={destination}
          onPick={setDestination}
          label={
            desktop
              ? "Write a file on this computer (can be signed)"
              : "Write a file on the Larder machine (can be signed)"
          }
        />
      </fieldset>
      {destination === "path" ? (
        <div className="stack path-fields">
          <PathField
            id="bundle-path"
            label="File to write"
            placeholder="/media/usb/larder.tar"
            value={path}
            onChange={setPath}
            choose={(desktop) => desktop.saveBundle(`larder-${new Date().toISOString().slice(0, 10)}.tar`)}
          />
          <PathField
            id="bundle-sign-key"
            label="Signing key (optional)"
            placeholder="/home/me/sender-private.asc"
            value={signKeyPath}
            onChange={setSignKeyPath}
            choose={(desktop) => desktop.openSigningKey()}
            hint="An armored private key file on the Larder machine."
          />
          {signKeyPath.trim() !== "" ? (
            <div className="field">
              <label htmlFor="bundle-passphrase">Key passphrase</label>
              <input
                id="bundle-passphrase"
                type="password"
                className="input"
                value={passphrase}
                onChange={(event) => {
                  setPassphrase(event.target.value);
                }}
              />
            </div>
          ) : null}
        </div>
      ) : null}
      <div className="summary" role="status" aria-live="polite">
        {plan.state === "running" ? <span className="muted">Working out the exact size…</span> : null}
        {plan.state === "failed" ? <span className="field-error">{plan.message}</span> : null}
        {plan.state === "done" ? (
          <span>
            Exact size: <strong>{formatBytes(plan.value.tarBytes)}</strong> —{" "}
            {formatCount(plan.value.providerPackages)} provider package(s),{" "}
            {formatCount(plan.value.moduleVersions)} module version(s)
            {plan.value.signedBy ? `, signed by ${plan.value.signedBy}` : ""}
          </span>
        ) : null}
      </div>
      <div className="row">
        {destination === "download" ? (
          ready ? (
            <a className="button primary" href={downloadUrl(request)} download>
              <Download size={16} aria-hidden="true" /> Download bundle
            </a>
          ) : (
            <button type="button" className="button primary" disabled>
              <Download size={16} aria-hidden="true" /> Download bundle
            </button>
          )
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={!ready || path.trim() === "" || written.state === "running"}
            onClick={() => {
              void writeToPath({ ...request, path: path.trim() });
            }}
          >
            <HardDriveDownload size={16} aria-hidden="true" /> Write bundle
          </button>
        )}
        {written.state === "done" ? (
          <>
            <span className="badge ok" role="status">
              Wrote {written.value.path} ({formatBytes(written.value.fileBytes)})
            </span>
            {desktop ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  void desktop.revealFile(written.value.path);
                }}
              >
                <FolderOpen size={16} aria-hidden="true" /> Show in folder
              </button>
            ) : null}
          </>
        ) : null}
        {written.state === "failed" ? (
          <span className="field-error" role="alert">
            {written.message}
          </span>
        ) : null}
      </div>
    </section>
  );
}
