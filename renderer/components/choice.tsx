/** One radio button of a choice group (a fieldset with a legend), typed by the values it chooses between. */
export function Choice<T extends string>(props: {
  readonly name: string;
  readonly value: T;
  readonly current: T | null;
  readonly label: string;
  readonly onPick: (value: T) => void;
}) {
  return (
    <label className="choice">
      <input
        type="radio"
        name={props.name}
        value={props.value}
        checked={props.current === props.value}
        onChange={() => {
          props.onPick(props.value);
        }}
      />
      <span>{props.label}</span>
    </label>
  );
}
