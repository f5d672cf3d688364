import type { Inventory } from "../../../shared/api/inventory.js";

/** What a selection export names: addresses and platforms picked from the inventory, and a version constraint. */
export interface Picked {
  readonly providers: readonly string[];
  readonly modules: readonly string[];
  readonly platforms: readonly string[];
  readonly version: string;
}

export const NOTHING_PICKED: Picked = { providers: [], modules: [], platforms: [], version: "" };

/** The choices the inventory offers: every stored provider and module address, and every stored platform. */
export function choicesOf(inventory: Inventory | null) {
  const hosts = inventory?.hosts ?? [];
  const providers = hosts.flatMap((host) =>
    host.providers.map((provider) => `${host.host}/${provider.namespace}/${provider.type}`),
  );
  const modules = hosts.flatMap((host) =>
    host.modules.map((module) => `${host.host}/${module.namespace}/${module.name}/${module.system}`),
  );
  const platforms = new Set(
    hosts.flatMap((host) =>
      host.providers.flatMap((provider) =>
        provider.versions.flatMap((version) => version.platforms.map((p) => `${p.os}_${p.arch}`)),
      ),
    ),
  );
  return { providers, modules, platforms: [...platforms].sort() };
}

function toggle(list: readonly string[], value: string, on: boolean): readonly string[] {
  return on ? [...list, value] : list.filter((entry) => entry !== value);
}

function PickList(props: {
  readonly legend: string;
  readonly options: readonly string[];
  readonly picked: readonly string[];
  readonly empty: string;
  readonly onChange: (picked: readonly string[]) => void;
}) {
  return (
    <fieldset className="choices">
      <legend>{props.legend}</legend>
      {props.options.length === 0 ? (
        <p className="muted small">{props.empty}</p>
      ) : (
        <div className="pick-list">
          {props.options.map((option) => (
            <label key={option} className="choice">
              <input
                type="checkbox"
                checked={props.picked.includes(option)}
                onChange={(event) => {
                  props.onChange(toggle(props.picked, option, event.target.checked));
                }}
              />
              <span className="mono small break">{option}</span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/** Picks what a selection export carries; nothing picked in a list means all of that kind. */
export function SelectionPicker(props: {
  readonly inventory: Inventory | null;
  readonly picked: Picked;
  readonly onChange: (picked: Picked) => void;
}) {
  const choices = choicesOf(props.inventory);
  const { picked, onChange } = props;
  return (
    <div className="stack">
      <p className="muted small">
        Leave a list empty to take all of it. Modules are not platform-specific; platforms narrow providers
        only.
      </p>
      <div className="grid-2">
        <PickList
          legend="Providers"
          options={choices.providers}
          picked={picked.providers}
          empty="No providers stored."
          onChange={(providers) => {
            onChange({ ...picked, providers });
          }}
        />
        <PickList
          legend="Modules"
          options={choices.modules}
          picked={picked.modules}
          empty="No modules stored."
          onChange={(modules) => {
            onChange({ ...picked, modules });
          }}
        />
        <PickList
          legend="Platforms"
          options={choices.platforms}
          picked={picked.platforms}
          empty="No provider platforms stored."
          onChange={(platforms) => {
            onChange({ ...picked, platforms });
          }}
        />
        <div className="field">
          <label htmlFor="bundle-version">Versions</label>
          <input
            id="bundle-version"
            className="input"
            placeholder="all stored versions"
            value={picked.version}
            onChange={(event) => {
              onChange({ ...picked, version: event.target.value });
            }}
          />
          <span className="hint">A constraint, e.g. ~&gt; 2.0 or 1.2.3.</span>
        </div>
      </div>
    </div>
  );
}
