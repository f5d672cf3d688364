import { Fragment } from "react";
import type { CatalogModule } from "../../../shared/api/catalog.js";

/** An address that may wrap after its slashes, not mid-word. */
function breakable(address: string) {
  return address.split("/").map((part, index) => (
    <Fragment key={index}>
      {index > 0 ? (
        <>
          /<wbr />
        </>
      ) : null}
      {part}
    </Fragment>
  ));
}

/** What a module version calls: other modules and the providers it requires (mirrored with it by default). */
export function ModuleDependencies(props: { readonly dependencies: CatalogModule["dependencies"] }) {
  const { dependencies } = props;
  return (
    <section className="card stack" aria-labelledby="deps-heading">
      <h2 id="deps-heading">Dependencies</h2>
      {dependencies === null ? (
        <p className="muted small">Not known for this version.</p>
      ) : dependencies.modules.length === 0 && dependencies.providers.length === 0 ? (
        <p className="muted small">None: it calls no other module and requires no provider.</p>
      ) : (
        <>
          {dependencies.modules.length > 0 ? (
            <table className="table compact">
              <caption className="field-label">Modules</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Source</th>
                  <th scope="col">Version</th>
                </tr>
              </thead>
              <tbody>
                {dependencies.modules.map((module) => (
                  <tr key={`${module.name} ${module.source}`}>
                    <td>{module.name}</td>
                    <td className="mono">{breakable(module.source)}</td>
                    <td className="mono nowrap">{module.version ?? "any"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {dependencies.providers.length > 0 ? (
            <table className="table compact">
              <caption className="field-label">Providers</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Source</th>
                  <th scope="col">Version</th>
                </tr>
              </thead>
              <tbody>
                {dependencies.providers.map((provider) => (
                  <tr key={`${provider.name} ${provider.source ?? ""}`}>
                    <td>{provider.name}</td>
                    <td className="mono">
                      {breakable(
                        provider.source ??
                          (provider.namespace ? `${provider.namespace}/${provider.name}` : "—"),
                      )}
                    </td>
                    <td className="mono nowrap">{provider.version ?? "any"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
    </section>
  );
}
