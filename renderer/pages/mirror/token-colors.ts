import { useEffect, useState } from "react";
import { resolveTokenColor } from "../../components/css-color.js";
import { useTheme } from "../../state/theme.js";

/** The design tokens a chart paints with; canvas cannot read CSS variables, so they are resolved here. */
export interface ChartColors {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly surface: string;
  /** Series colours, in order: accent first, then the status hues. */
  readonly series: readonly string[];
}

const SERIES_TOKENS = ["--accent", "--info", "--ok", "--warn", "--danger", "--text-muted"];

function read(): ChartColors {
  // Tokens are light-dark() pairs that only CSS resolves: read each through a probe element.
  const token = (name: string): string => resolveTokenColor(name);
  return {
    text: token("--text"),
    muted: token("--text-muted"),
    grid: token("--border"),
    surface: token("--bg-raised"),
    series: SERIES_TOKENS.map(token),
  };
}

/** The chart colours of the current theme, read again when the toggle or the system switches light and dark. */
export function useChartColors(): ChartColors {
  const choice = useTheme((s) => s.choice);
  const [colors, setColors] = useState(read);
  useEffect(() => {
    setColors(read());
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const changed = (): void => {
      setColors(read());
    };
    media.addEventListener("change", changed);
    return () => {
      media.removeEventListener("change", changed);
    };
  }, [choice]);
  return colors;
}
