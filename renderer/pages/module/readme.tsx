import Markdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import type { CatalogModule } from "../../../shared/api/catalog.js";

// The page has one h1 and the README sits under an h2: its headings move down two levels.
const HEADINGS: Components = {
  h1: ({ children }) => <h3>{children}</h3>,
  h2: ({ children }) => <h4>{children}</h4>,
  h3: ({ children }) => <h5>{children}</h5>,
  h4: ({ children }) => <h6>{children}</h6>,
  h5: ({ children }) => <h6>{children}</h6>,
};

/**
 * A module's README. Markdown from a registry or an archive is someone else's text: rehype-sanitize strips what
 * is not plain document markup, and raw HTML is never passed through.
 */
export function Readme(props: { readonly readme: NonNullable<CatalogModule["readme"]> }) {
  return (
    <>
      <div className="markdown">
        <Markdown rehypePlugins={[rehypeSanitize]} components={HEADINGS}>
          {props.readme.markdown}
        </Markdown>
      </div>
      {props.readme.truncated ? (
        <p className="small muted">The README is longer than Larder keeps; this is its beginning.</p>
      ) : null}
    </>
  );
}
