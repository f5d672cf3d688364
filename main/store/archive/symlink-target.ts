/**
 * Why a symlink at linkPath (relative, "/"-separated) may not point at target, or undefined when it is safe.
 * A safe target is relative and stays inside the destination. ".." may only lead the target: after a named
 * segment, which may itself be a symlink, ".." would climb from wherever that symlink points, so a purely
 * lexical check could be fooled (a -> ".", b -> "a/.." escapes while looking like ".").
 */
export function symlinkTargetProblem(linkPath: string, target: string): string | undefined {
  if (target === "") return "is a symlink with an empty target";
  if (target.includes("\0")) return "is a symlink whose target has a NUL byte";
  if (/^[/\\]/.test(target) || /^[A-Za-z]:/.test(target)) {
    return `is a symlink to the absolute path ${JSON.stringify(target)}`;
  }
  if (target.includes("\\"))
    return "is a symlink whose target has a backslash, which is ambiguous across platforms";
  const segments = target.split("/").filter((segment) => segment !== "" && segment !== ".");
  const climbs = segments.findIndex((segment) => segment !== "..");
  const leading = climbs === -1 ? segments.length : climbs;
  if (segments.slice(leading).includes("..")) {
    return `is a symlink whose target ${JSON.stringify(target)} uses ".." after a directory name`;
  }
  const depth = linkPath.split("/").length - 1;
  if (leading > depth) return `is a symlink that points outside the destination (${JSON.stringify(target)})`;
  return undefined;
}
