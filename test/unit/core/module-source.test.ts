import { describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { parseModuleSource, splitSubdir, type ModuleSource } from "../../../main/core/module-source.js";

// Expectations follow hashicorp/go-getter: detect.go (forced getter, subdir split before detection),
// source.go SourceDirSubdir (the `//` must come before the query), detect_github.go (github.com shorthand,
// extra path segments become the subdir), get_git.go (`ref` read from the query) and client.go
// (`archive` param or file extension picks the decompressor, and the param is not passed on).

describe("parseModuleSource, git and GitHub", () => {
  it.each<[string, ModuleSource]>([
    ["git::https://github.com/o/r?ref=v1", { kind: "github", owner: "o", repo: "r", ref: "v1", subdir: "" }],
    [
      "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=v2.66.0",
      {
        kind: "github",
        owner: "terraform-aws-modules",
        repo: "terraform-aws-vpc",
        ref: "v2.66.0",
        subdir: "",
      },
    ],
    ["git::https://github.com/o/r", { kind: "github", owner: "o", repo: "r", ref: undefined, subdir: "" }],
    ["github.com/o/r", { kind: "github", owner: "o", repo: "r", ref: undefined, subdir: "" }],
    ["github.com/o/r.git?ref=x", { kind: "github", owner: "o", repo: "r", ref: "x", subdir: "" }],
    ["github.com/o/r//sub?ref=x", { kind: "github", owner: "o", repo: "r", ref: "x", subdir: "sub" }],
    ["git::github.com/o/r//a/b?ref=x", { kind: "github", owner: "o", repo: "r", ref: "x", subdir: "a/b" }],
    // GitHubDetector: segments after OWNER/REPO are a subdir, placed ahead of an explicit `//subdir`.
    [
      "github.com/o/r/modules/x?ref=y",
      { kind: "github", owner: "o", repo: "r", ref: "y", subdir: "modules/x" },
    ],
    [
      "github.com/o/r/modules//x",
      { kind: "github", owner: "o", repo: "r", ref: undefined, subdir: "modules/x" },
    ],
    [
      "git::https://example.com/x.git//sub?ref=abc",
      { kind: "git", url: "https://example.com/x.git", ref: "abc", subdir: "sub" },
    ],
    // SourceDirSubdir only looks for `//` before the `?`, so this subdir is part of the ref.
    [
      "git::https://example.com/x.git?ref=abc//sub",
      { kind: "git", url: "https://example.com/x.git", ref: "abc//sub", subdir: "" },
    ],
    [
      "git::https://git.example.com/group/sub/repo.git?ref=v2&depth=1",
      { kind: "git", url: "https://git.example.com/group/sub/repo.git", ref: "v2", subdir: "" },
    ],
    [
      "git::http://git.example.com:8080/repo//modules/a/",
      { kind: "git", url: "http://git.example.com:8080/repo", ref: undefined, subdir: "modules/a" },
    ],
  ])("reads %s", (location, expected) => {
    expect(parseModuleSource(location)).toEqual(expected);
  });
});

describe("parseModuleSource, HTTP archives", () => {
  it.each<[string, ModuleSource]>([
    ["https://h/x.tar.gz", { kind: "archive", url: "https://h/x.tar.gz", format: "tar.gz", subdir: "" }],
    ["https://h/x.tgz", { kind: "archive", url: "https://h/x.tgz", format: "tar.gz", subdir: "" }],
    ["https://h/x.zip", { kind: "archive", url: "https://h/x.zip", format: "zip", subdir: "" }],
    ["http://h:8080/x.tar", { kind: "archive", url: "http://h:8080/x.tar", format: "tar", subdir: "" }],
    [
      "https://mirror.example/modarchive/acme/network/aws/1.2.0.tar.gz",
      {
        kind: "archive",
        url: "https://mirror.example/modarchive/acme/network/aws/1.2.0.tar.gz",
        format: "tar.gz",
        subdir: "",
      },
    ],
    [
      "https://h/download?archive=tar.gz&token=abc",
      { kind: "archive", url: "https://h/download?token=abc", format: "tar.gz", subdir: "" },
    ],
    ["https://h/dl?archive=zip", { kind: "archive", url: "https://h/dl", format: "zip", subdir: "" }],
    ["https://h/dl?archive=tgz", { kind: "archive", url: "https://h/dl", format: "tar.gz", subdir: "" }],
    [
      "https://h/x.zip//modules/vpc",
      { kind: "archive", url: "https://h/x.zip", format: "zip", subdir: "modules/vpc" },
    ],
    [
      "https://api.github.com/repos/hashicorp/terraform-aws-consul/tarball/v0.0.1//*?archive=tar.gz",
      {
        kind: "archive",
        url: "https://api.github.com/repos/hashicorp/terraform-aws-consul/tarball/v0.0.1",
        format: "tar.gz",
        subdir: "*",
      },
    ],
    ["https::https://h/x.zip", { kind: "archive", url: "https://h/x.zip", format: "zip", subdir: "" }],
  ])("reads %s", (location, expected) => {
    expect(parseModuleSource(location)).toEqual(expected);
  });
});

describe("parseModuleSource, refusals", () => {
  const compressed = "bzip2, xz and single-file gzip archives are not supported";
  const noExtension = "an HTTP location needs an archive extension (.tar.gz, .tgz, .zip, .tar) or ?archive=";
  const ssh = "SSH git sources need keys Larder does not have";
  const gitOverHttp = "only git over HTTP(S) is supported";
  const credentials = "credentials embedded in git URLs are not stored by Larder";
  it.each<[string, string]>([
    ["https://h/x.tar.bz2", compressed],
    ["https://h/x.tbz2", compressed],
    ["https://h/x.txz", compressed],
    ["https://h/x.tar.xz", compressed],
    ["https://h/x.gz", compressed],
    ["https://h/dl?archive=bz2", compressed],
    ["https://h/x", noExtension],
    ["https://h/x.tar.gz.sig", noExtension],
    ["https://h/x.zip?archive=false", noExtension],
    ["s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip", "the s3:: getter is not supported"],
    ["gcs::https://www.googleapis.com/storage/v1/bucket/vpc.zip", "the gcs:: getter is not supported"],
    ["hg::http://example.com/repo", "the hg:: getter is not supported"],
    ["git@github.com:o/r.git", ssh],
    ["ssh://git@example.com/r.git", ssh],
    ["git::ssh://git@example.com/r.git", gitOverHttp],
    ["git::git@github.com:o/r.git", gitOverHttp],
    ["git::./local/repo", gitOverHttp],
    ["git::https://user:secret@example.com/r.git", credentials],
    ["git::https://token@example.com/r.git?ref=v1", credentials],
    ["git::https://x-access-token:t@github.com/o/r?ref=v1", credentials],
    ["ftp://h/x.zip", "the ftp: scheme is not supported"],
    ["file:///tmp/x.zip", "the file: scheme is not supported"],
    ["./modules/vpc", "it is neither a URL, a git:: source nor a github.com/OWNER/REPO shorthand"],
    ["https://h/x.zip//../escape", "the subdirectory may not contain '..'"],
    ["github.com/o/r/../../escape", "the subdirectory may not contain '..'"],
  ])("refuses %s", (location, reason) => {
    const error = errorOf(() => parseModuleSource(location));
    expect(error.code).toBe("unsupported");
    expect(error.message).toContain("Cannot fetch module source ");
    expect(error.message).toContain(reason);
  });

  it("names the whole location in the message", () => {
    expect(errorOf(() => parseModuleSource("s3::https://b/x.zip//sub")).message).toBe(
      'Cannot fetch module source "s3::https://b/x.zip//sub": the s3:: getter is not supported; ' +
        "use an HTTP(S) archive or a git URL.",
    );
  });
});

describe("splitSubdir", () => {
  it.each<[string, string, string]>([
    // go-getter's own TestSourceDirSubdir cases and SourceDirSubdir doc examples.
    ["hashicorp.com", "hashicorp.com", ""],
    ["hashicorp.com//foo", "hashicorp.com", "foo"],
    ["hashicorp.com//foo?bar=baz", "hashicorp.com?bar=baz", "foo"],
    ["file://foo//bar", "file://foo", "bar"],
    ["dom.com/path/?q=p", "dom.com/path/?q=p", ""],
    ["proto://dom.com/path//*?q=p", "proto://dom.com/path?q=p", "*"],
    ["proto://dom.com/path//path2?q=p", "proto://dom.com/path?q=p", "path2"],
    // Further placements of the `//` and the query.
    ["https://host//sub", "https://host", "sub"],
    ["https://host", "https://host", ""],
    ["https://host/a/b.zip//c/d", "https://host/a/b.zip", "c/d"],
    ["https://host/x.git//a?ref=1&depth=1", "https://host/x.git?ref=1&depth=1", "a"],
    ["https://host/x.git?ref=abc//sub", "https://host/x.git?ref=abc//sub", ""],
    ["https://host/x?next=https://other//sub", "https://host/x?next=https://other//sub", ""],
    ["host/x?u=a://b//c", "host/x?u=a://b//c", ""],
    ["https://host/a//b//c", "https://host/a", "b//c"],
    // Slashes around the subdir are dropped, as path.Clean does in terraform's SplitPackageSubdir.
    ["https://host//sub/", "https://host", "sub"],
    ["https://host///sub", "https://host", "sub"],
    ["github.com/o/r//modules/x?ref=v1", "github.com/o/r?ref=v1", "modules/x"],
  ])("splits %s", (input, source, subdir) => {
    expect(splitSubdir(input)).toEqual({ source, subdir });
  });

  it.each(["https://host//..", "https://host//a/../../b", "h.com//../x?ref=1"])(
    "refuses '..' in %s",
    (input) => {
      expect(errorOf(() => splitSubdir(input)).message).toContain("the subdirectory may not contain '..'");
    },
  );
});
