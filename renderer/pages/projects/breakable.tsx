import { Fragment } from "react";

/**
 * An address or path with line-break opportunities after each `/`, so a narrow column wraps it between parts
 * (`registry.terraform.io/` `fixture/` `alpha`) rather than mid-word.
 */
export function Breakable(props: { readonly text: string }) {
  const parts = props.text.split("/");
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 ? (
            <>
              /<wbr />
            </>
          ) : null}
        </Fragment>
      ))}
    </>
  );
}
