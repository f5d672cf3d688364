import type { Project } from "../../../shared/api/projects.js";
import { CommandLine } from "./command-line.js";
import { missingItems } from "./missing-items.js";

/** What init would fail on offline, each with the `larder` command that fixes it (or what to do instead). */
export function MissingCard(props: { readonly project: Project }) {
  const items = missingItems(props.project);
  const both = props.project.checkedFor.clients.length;
  if (items.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="missing-title">
      <h2 id="missing-title">What is missing ({items.length})</h2>
      <ul className="missing-list" aria-labelledby="missing-title">
        {items.map((item) => (
          <li key={item.key} className="missing-item">
            <div className="missing-head">
              <span className="badge">{item.kind}</span>
              <span className="mono break missing-what">{item.what}</span>
              {both > 1 ? <span className="muted small">for {item.clients.join(" and ")}</span> : null}
            </div>
            <p className="missing-problem">{item.problem}</p>
            {item.fix !== null ? (
              <CommandLine command={item.fix} copyLabel={`Copy the command that mirrors ${item.what}`} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
