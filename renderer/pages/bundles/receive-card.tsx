import { FileCheck2, FolderOpen, PackagePlus, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { Choice } from "../../components/choice.js";
import { formatCount } from "../../components/format.js";
import { desktopApi } from "../../app/desktop.js";
import { useBundles, type BundleSource } from "../../state/bundles.js";
import { VerifyReportView } from "./verify-report.js";

type TrustChoice = "key" | "unchecked";

/** The CLI's own reason for refusing an import without --trust-key, so both say the same thing. */
export const UNCHECKED_WARNING =
  "Without a trusted key, the packages are checked only against the signing keys carried in the same file, so whoever could change the file could re-sign them. Choose this only if the file reached you by a route you trust.";

/**
 * Verify or import a bundle the person picks: the browser streams the file to the server, or in the desktop app
 * the native dialog names a file the server reads in place. An import needs an explicit trust decision, as
 * `larder bundle import` does.
 */
export function ReceiveCard() {
  const verified = useBundles((s) => s.verified);
  const imported = useBundles((s) => s.imported);
  const verify = useBundles((s) => s.verify);
  const importFile = useBundles((s) => s.importFile);
  const clearReceived = useBundles((s) => s.clearReceived);
  const [file, setFile] = useState<BundleSource | null>(null);
  const desktop = desktopApi();
  const [trust, setTrust] = useState<TrustChoice | null>(null);
  const [armoredKey, setArmoredKey] = useState("");
  const busy = verified.state === "running" || imported.state === "running";
  const keyGiven = armoredKey.trim() !== "";
  const canImport = file !== null && !busy && (trust === "unchecked" || (trust === "key" && keyGiven));
  return (
    <section className="card stack" aria-labelledby="receive-title">
      <h2 id="receive-title">Verify or import a bundle</h2>
      <div className="field">
        <label htmlFor="bundle-file">Bundle file</label>
        <div className="row">
          <input
            id="bundle-file"
            type="file"
            className="file-input"
            accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip"
            onChange={(event) => {
              const picked = event.target.files?.[0];
              setFile(picked ? { kind: "upload", file: picked } : null);
              clearReceived();
            }}
          />
          {desktop ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                void desktop.openBundle().then((path) => {
                  if (path === null) return;
                  setFile({ kind: "path", path });
                  clearReceived();
                });
              }}
            >
              <FolderOpen size={16} aria-hidden="true" /> Choose a bundle on this computer…
            </button>
          ) : null}
        </div>
        {file?.kind === "path" ? (
          <span className="hint mono break" role="status">
            {file.path} (read in place)
          </span>
        ) : null}
      </div>
      <fieldset className="choices">
        <legend>Trust</legend>
        <Choice
          name="trust"
          value="key"
          current={trust}
          onPick={setTrust}
          label="The bundle must be signed with a key I trust"
        />
        <Choice
          name="trust"
          value="unchecked"
          current={trust}
          onPick={setTrust}
          label="Rely on the registry signatures inside the bundle"
        />
      </fieldset>
      {trust === "key" ? (
        <div className="field">
          <label htmlFor="bundle-trusted-key">Sender's public key (armored)</label>
          <textarea
            id="bundle-trusted-key"
            className="input"
            rows={5}
            placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----"
            value={armoredKey}
            onChange={(event) => {
              setArmoredKey(event.target.value);
            }}
          />
        </div>
      ) : null}
      {trust === "unchecked" ? (
        <div className="banner warn" role="note">
          <TriangleAlert size={16} aria-hidden="true" />
          <span>{UNCHECKED_WARNING}</span>
        </div>
      ) : null}
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={file === null || busy}
          onClick={() => {
            if (file) void verify(file, trust === "key" && keyGiven ? armoredKey : undefined);
          }}
        >
          <FileCheck2 size={16} aria-hidden="true" /> Verify
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!canImport}
          onClick={() => {
            if (file === null) return;
            void importFile(file, trust === "key" ? { kind: "key", armoredKey } : { kind: "unchecked" });
          }}
        >
          <PackagePlus size={16} aria-hidden="true" /> Import
        </button>
        {trust === null && file !== null ? (
          <span className="muted small">Choose how to trust the bundle before importing it.</span>
        ) : null}
        {busy ? (
          <span className="muted small" role="status">
            {verified.state === "running" ? "Verifying…" : "Importing…"}
          </span>
        ) : null}
      </div>
      {imported.state === "done" ? (
        <div className="banner info" role="status">
          {imported.value.status === "imported"
            ? `Imported bundle ${imported.value.bundleId}: ${formatCount(imported.value.providerPackages)} provider package(s), ${formatCount(imported.value.moduleVersions)} module version(s) added.`
            : `Bundle ${imported.value.bundleId} was imported before; nothing changed.`}
        </div>
      ) : null}
      {imported.state === "failed" ? (
        <div className="banner danger" role="alert">
          Import refused: {imported.message}
        </div>
      ) : null}
      {verified.state === "failed" ? (
        <div className="banner danger" role="alert">
          Could not verify: {verified.message}
        </div>
      ) : null}
      {verified.state === "done" ? <VerifyReportView report={verified.value} /> : null}
    </section>
  );
}
