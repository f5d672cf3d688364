import { useEffect, useId, useState } from "react";

/** How long typing pauses before the constraint is asked of the server. */
const DEBOUNCE_MS = 350;

/**
 * The version constraint box (`~> 5.0`): the server decides what matches, so a constraint it cannot read comes
 * back as its message, shown under the box and tied to it for screen readers.
 */
export function ConstraintField(props: {
  readonly value: string;
  readonly onChange: (constraint: string) => void;
  readonly error: string | null;
  readonly matched: number | null;
}) {
  const id = useId();
  const [text, setText] = useState(props.value);
  useEffect(() => {
    setText(props.value);
  }, [props.value]);
  useEffect(() => {
    if (text === props.value) return;
    const timer = setTimeout(() => {
      props.onChange(text);
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
    // Only the text starts a pause; the parent's callback may be a new function each render.
  }, [text]);
  return (
    <div className="field constraint-field">
      <label htmlFor={`${id}-input`}>Version constraint</label>
      <input
        id={`${id}-input`}
        className="input mono"
        placeholder="~> 5.0"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
        }}
        aria-invalid={props.error !== null}
        aria-describedby={`${id}-help`}
      />
      <span
        id={`${id}-help`}
        className={props.error ? "field-error" : "small muted"}
        role={props.error ? "alert" : undefined}
      >
        {props.error ??
          (props.matched === null
            ? "e.g. ~> 5.0 or >= 1.2, < 2.0"
            : `${props.matched} ${props.matched === 1 ? "version matches" : "versions match"}.`)}
      </span>
    </div>
  );
}
