import { CopyButton } from "./copy-button.js";

/** A block of configuration a person pastes somewhere, with a copy button named after it. */
export function CodeSnippet(props: {
  readonly title: string;
  readonly code: string;
  readonly copyLabel: string;
}) {
  return (
    <figure className="code-snippet">
      <figcaption className="row">
        <span className="field-label">{props.title}</span>
        <CopyButton text={props.code} label={props.copyLabel} />
      </figcaption>
      <pre tabIndex={0}>
        <code>{props.code}</code>
      </pre>
    </figure>
  );
}
