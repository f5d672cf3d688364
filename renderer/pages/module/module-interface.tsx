import type { CatalogModule } from "../../../shared/api/catalog.js";

/** The module's inputs and outputs, when its docs list them. */
export function ModuleInterface(props: {
  readonly inputs: CatalogModule["inputs"];
  readonly outputs: CatalogModule["outputs"];
}) {
  const { inputs, outputs } = props;
  if ((inputs === null || inputs.length === 0) && (outputs === null || outputs.length === 0)) return null;
  return (
    <section className="card stack" aria-labelledby="interface-heading">
      <h2 id="interface-heading">Inputs and outputs</h2>
      {inputs && inputs.length > 0 ? (
        <table className="table compact">
          <caption className="field-label">Inputs</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Required</th>
            </tr>
          </thead>
          <tbody>
            {inputs.map((input) => (
              <tr key={input.name}>
                <td className="mono">{input.name}</td>
                <td>{input.description ?? <span className="muted">—</span>}</td>
                <td>{input.required === null ? "—" : input.required ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {outputs && outputs.length > 0 ? (
        <table className="table compact">
          <caption className="field-label">Outputs</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {outputs.map((output) => (
              <tr key={output.name}>
                <td className="mono">{output.name}</td>
                <td>{output.description ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
