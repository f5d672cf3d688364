import { describe, expect, it } from "vitest";
import { entryPath } from "../../../../main/store/archive/entry-name.js";
import { symlinkTargetProblem } from "../../../../main/store/archive/symlink-target.js";

describe("entryPath", () => {
  it("reduces names to relative paths, dropping '.' and empty segments", () => {
    expect(entryPath("a/b/c.tf", "tar")).toEqual({ ok: true, path: "a/b/c.tf" });
    expect(entryPath("./a//b/", "tar")).toEqual({ ok: true, path: "a/b" });
    expect(entryPath("./", "tar")).toEqual({ ok: true, path: "" });
  });

  it("treats backslashes as separators in zips only", () => {
    expect(entryPath("win\\file.tf", "zip")).toEqual({ ok: true, path: "win/file.tf" });
    const tar = entryPath("win\\file.tf", "tar");
    expect(tar.ok).toBe(false);
    if (!tar.ok) expect(tar.reason).toContain("backslash");
  });

  it.each([
    ["", "empty name"],
    ["a\0b", "NUL byte"],
    ["/etc/passwd", "absolute path"],
    ["C:\\Windows\\x", "absolute path"],
    ["c:x", "absolute path"],
    ["\\\\server\\share\\x", "absolute path"],
    ["../x", '".." segment'],
    ["a/../../x", '".." segment'],
    ["a/..", '".." segment'],
  ])("refuses %j (%s)", (name, reason) => {
    for (const flavour of ["tar", "zip"] as const) {
      const result = entryPath(name, flavour);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(reason);
    }
  });

  it("refuses '..' hidden behind zip backslashes", () => {
    expect(entryPath("a\\..\\..\\x", "zip").ok).toBe(false);
  });
});

describe("symlinkTargetProblem", () => {
  it.each([
    ["a/link", "b"],
    ["a/link", "../b"],
    ["a/b/link", "../../c/d"],
    ["link", "./x"],
    ["link", "."],
  ])("allows %s -> %s", (link, target) => {
    expect(symlinkTargetProblem(link, target)).toBeUndefined();
  });

  it.each([
    ["link", "", "empty target"],
    ["link", "/etc/passwd", "absolute path"],
    ["link", "C:\\x", "absolute path"],
    ["link", "\\\\server\\x", "absolute path"],
    ["link", "..", "outside the destination"],
    ["a/link", "../../x", "outside the destination"],
    ["link", "a\\b", "backslash"],
    ["link", "a\0b", "NUL byte"],
    // Lexically inside, but "a" may itself be a symlink to ".": a/.. is then the destination's parent.
    ["link", "a/..", '".." after a directory name'],
    ["x/link", "../a/../b", '".." after a directory name'],
  ])("refuses %s -> %j (%s)", (link, target, reason) => {
    expect(symlinkTargetProblem(link, target)).toContain(reason);
  });
});
