import { FolderOpen } from "lucide-react";
import { desktopApi } from "../app/desktop.js";

interface PathFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly placeholder: string;
  readonly onChange: (value: string) => void;
  /** The native dialog that picks this path in the desktop app (null when cancelled); typed only in a browser. */
  readonly choose: (desktop: NonNullable<ReturnType<typeof desktopApi>>) => Promise<string | null>;
  readonly hint?: string;
}

/** A path on the Larder machine: typed, or in the desktop app also picked with the system's file dialog. */
export function PathField({ id, label, value, placeholder, onChange, choose, hint }: PathFieldProps) {
  const desktop = desktopApi();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-with-button">
        <input
          id={id}
          className="input mono"
          placeholder={placeholder}
          value={value}
          onChange={(event) => {
            onChange(event.target.value);
          }}
        />
        {desktop ? (
          <button
            type="button"
            className="button"
            aria-label={`Choose ${label.toLowerCase()}`}
            onClick={() => {
              void choose(desktop).then((path) => {
                if (path !== null) onChange(path);
              });
            }}
          >
            <FolderOpen size={16} aria-hidden="true" /> Choose…
          </button>
        ) : null}
      </div>
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  );
}
