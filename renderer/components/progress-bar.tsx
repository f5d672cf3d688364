/** A labelled progress bar; without a total it shows activity, not a made-up percentage. */
export function ProgressBar(props: {
  readonly label: string;
  readonly done: number;
  readonly total: number | null;
  readonly tone?: "ok" | "danger";
}) {
  const percent = props.total ? Math.min(100, Math.round((props.done / props.total) * 100)) : null;
  return (
    <div
      className={`progress${props.tone ? ` ${props.tone}` : ""}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(percent === null ? {} : { "aria-valuenow": percent })}
    >
      <span style={{ width: `${percent ?? 100}%`, opacity: percent === null ? 0.35 : 1 }} />
    </div>
  );
}
