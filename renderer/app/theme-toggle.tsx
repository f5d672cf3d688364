import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme, type ThemeChoice } from "../state/theme.js";

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const LABEL: Record<ThemeChoice, string> = {
  system: "System theme",
  light: "Light theme",
  dark: "Dark theme",
};

/** Cycles system → light → dark; the button says the theme in use. */
export function ThemeToggle() {
  const choice = useTheme((s) => s.choice);
  const choose = useTheme((s) => s.choose);
  const Icon = choice === "light" ? Sun : choice === "dark" ? Moon : Monitor;
  return (
    <button
      type="button"
      className="button ghost small"
      onClick={() => {
        choose(NEXT[choice]);
      }}
      aria-label={`${LABEL[choice]} (switch to ${LABEL[NEXT[choice]].toLowerCase()})`}
      title={`${LABEL[choice]}: click for ${LABEL[NEXT[choice]].toLowerCase()}`}
    >
      <Icon size={16} aria-hidden="true" />
      {LABEL[choice]}
    </button>
  );
}
