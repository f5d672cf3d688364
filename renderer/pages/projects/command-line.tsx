import { CopyButton } from "../../components/copy-button.js";

/** One shell command on one line (scrolls sideways when long, so it can be reached by keyboard too), with a copy
 * button named after what it does. */
export function CommandLine(props: { readonly command: string; readonly copyLabel: string }) {
  return (
    <div className="command-line">
      <pre tabIndex={0}>
        <code>{props.command}</code>
      </pre>
      <CopyButton text={props.command} label={props.copyLabel} />
    </div>
  );
}
