import { create } from "zustand";

export type ThemeChoice = "system" | "light" | "dark";

const KEY = "larder.theme";

function saved(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/** The theme toggle: follows the system until a person picks light or dark (remembered in this browser). */
export interface ThemeState {
  readonly choice: ThemeChoice;
  readonly choose: (choice: ThemeChoice) => void;
}

export const useTheme = create<ThemeState>()((set) => ({
  choice: saved(),
  choose: (choice) => {
    try {
      if (choice === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // Not remembered, still applied.
    }
    if (choice === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = choice;
    set({ choice });
  },
}));
