/** A whole-number setting with its hint and, after a refused save, the server's message about it. */
export function NumberField(props: {
  readonly id: string;
  readonly label: string;
  readonly hint: string;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
}) {
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        className="input"
        inputMode="numeric"
        value={props.value}
        aria-invalid={props.error === undefined ? undefined : true}
        aria-describedby={props.error === undefined ? hintId : `${errorId} ${hintId}`}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
      />
      {props.error === undefined ? null : (
        <span id={errorId} className="field-error">
          {props.error}
        </span>
      )}
      <span id={hintId} className="hint">
        {props.hint}
      </span>
    </div>
  );
}
