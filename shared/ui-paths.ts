/**
 * The first path segments the UI's pages live under. The server answers them with the UI's index.html; the
 * renderer's router owns what follows. One list, so a new page cannot be routed on one side only.
 */
export const UI_ROOTS = [
  "browse",
  "providers",
  "modules",
  "projects",
  "downloads",
  "mirror",
  "bundles",
  "connect",
  "settings",
  "activity",
] as const;
