/** How a format separates path segments: tar names are POSIX; zip tools on Windows may write backslashes. */
export type NameFlavour = "tar" | "zip";

/** An entry name reduced to a relative "/"-separated path ("" for the root itself), or why it is unsafe. */
export type EntryPath =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): EntryPath => ({ ok: false, reason });

/**
 * Checks an archive entry name and reduces it to a path that stays inside the destination: no absolute paths
 * (POSIX, drive letter or UNC), no ".." segment anywhere, no NUL bytes. "." and empty segments are dropped.
 */
export function entryPath(name: string, flavour: NameFlavour): EntryPath {
  if (name === "") return refuse("has an empty name");
  if (name.includes("\0")) return refuse("has a NUL byte in its name");
  // Checked before backslashes so that C:\x and \\server are reported as the absolute paths they are.
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return refuse("has an absolute path");
  if (name.includes("\\") && flavour === "tar") {
    return refuse("has a backslash in its name, which is ambiguous across platforms");
  }
  const segments = name.replaceAll("\\", "/").split("/");
  if (segments.includes("..")) return refuse('has a ".." segment that could climb out of the destination');
  return { ok: true, path: segments.filter((segment) => segment !== "" && segment !== ".").join("/") };
}
