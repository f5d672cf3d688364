import { LarderError } from "./errors.js";

/** Archive formats Larder can unpack (go-getter's zip, tar.gz/tgz and tar). */
export type ModuleArchiveFormat = "tar.gz" | "tar" | "zip";

/** Where a module version's files come from, as named by the registry's download location. */
export type ModuleSource =
  | {
      readonly kind: "archive";
      readonly url: string;
      readonly format: ModuleArchiveFormat;
      readonly subdir: string;
    }
  | {
      readonly kind: "github";
      readonly owner: string;
      readonly repo: string;
      readonly ref: string | undefined;
      readonly subdir: string;
    }
  | { readonly kind: "git"; readonly url: string; readonly ref: string | undefined; readonly subdir: string };

/**
 * Reads a module download location (`X-Terraform-Get`, already resolved to an absolute address) the way
 * go-getter does: an optional forced getter (`git::`), a `//subdir` after the host, `?ref=` for git and
 * `?archive=` or the file extension for HTTP archives. Locations Larder cannot fetch get a clear reason.
 */
export function parseModuleSource(location: string): ModuleSource {
  const forced = /^([A-Za-z0-9]+)::(.+)$/.exec(location);
  const getter = forced?.[1]?.toLowerCase();
  const { source, subdir } = splitSubdir(forced?.[2] ?? location);
  if (getter !== undefined && getter !== "git" && getter !== "http" && getter !== "https") {
    throw unsupported(
      location,
      `the ${getter}:: getter is not supported; use an HTTP(S) archive or a git URL`,
    );
  }
  if (/^github\.com\//i.test(source)) {
    const github = expandGithubShorthand(location, source, subdir);
    return gitSource(location, github.url, github.subdir);
  }
  if (getter === "git") return gitSource(location, normalizeGitUrl(location, source), subdir);
  if (/^git@|^ssh:\/\//i.test(source)) {
    throw unsupported(
      location,
      "SSH git sources need keys Larder does not have; publish the module over HTTPS",
    );
  }
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw unsupported(location, "it is neither a URL, a git:: source nor a github.com/OWNER/REPO shorthand");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw unsupported(location, `the ${url.protocol} scheme is not supported`);
  }
  return { kind: "archive", ...archiveOf(location, url), subdir };
}

/** go-getter's SourceDirSubdir: splits `//subdir` off (not the `//` of `scheme://`), keeping the query. */
export function splitSubdir(input: string): { source: string; subdir: string } {
  const queryAt = input.indexOf("?");
  const stop = queryAt === -1 ? input.length : queryAt;
  const schemeAt = input.slice(0, stop).indexOf("://");
  const offset = schemeAt === -1 ? 0 : schemeAt + 3;
  const at = input.slice(offset, stop).indexOf("//");
  if (at === -1) return { source: input, subdir: "" };
  let subdir = input.slice(offset + at + 2);
  let source = input.slice(0, offset + at);
  const subQuery = subdir.indexOf("?");
  if (subQuery !== -1) {
    source += subdir.slice(subQuery);
    subdir = subdir.slice(0, subQuery);
  }
  subdir = subdir.replace(/^\/+|\/+$/g, "");
  if (subdir.split("/").includes("..")) throw unsupported(input, "the subdirectory may not contain '..'");
  return { source, subdir };
}

/**
 * go-getter's GitHubDetector: `github.com/OWNER/REPO[/PATH][?QUERY]` is the repository at
 * `https://github.com/OWNER/REPO`, and PATH is a subdirectory placed ahead of any explicit `//subdir`.
 */
function expandGithubShorthand(
  location: string,
  source: string,
  subdir: string,
): { url: string; subdir: string } {
  const queryAt = source.indexOf("?");
  const path = queryAt === -1 ? source : source.slice(0, queryAt);
  const query = queryAt === -1 ? "" : source.slice(queryAt);
  const parts = path.split("/");
  if (parts.length < 3) throw unsupported(location, "GitHub shorthands look like github.com/OWNER/REPO");
  const extra = parts.slice(3).filter((part) => part !== "");
  if (extra.includes("..")) throw unsupported(location, "the subdirectory may not contain '..'");
  return {
    url: `https://${parts.slice(0, 3).join("/")}${query}`,
    subdir: [...extra, subdir].filter((part) => part !== "").join("/"),
  };
}

function normalizeGitUrl(location: string, source: string): string {
  if (/^https?:\/\//i.test(source)) return source;
  throw unsupported(location, "only git over HTTP(S) is supported (no SSH or local paths)");
}

function gitSource(location: string, rawUrl: string, subdir: string): ModuleSource {
  const url = new URL(rawUrl);
  const ref = url.searchParams.get("ref") ?? undefined;
  url.search = "";
  url.hash = "";
  if (url.username !== "" || url.password !== "") {
    throw unsupported(location, "credentials embedded in git URLs are not stored by Larder");
  }
  const github = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.pathname);
  if (url.hostname.toLowerCase() === "github.com" && github?.[1] && github[2]) {
    return { kind: "github", owner: github[1], repo: github[2], ref, subdir };
  }
  return { kind: "git", url: url.href, ref, subdir };
}

function archiveOf(location: string, url: URL): { url: string; format: ModuleArchiveFormat } {
  const declared = url.searchParams.get("archive");
  url.searchParams.delete("archive");
  const name = declared ?? url.pathname.toLowerCase();
  const format: ModuleArchiveFormat | undefined = /(^|\.)(tar\.gz|tgz)$/.test(name)
    ? "tar.gz"
    : /(^|\.)zip$/.test(name)
      ? "zip"
      : /(^|\.)tar$/.test(name)
        ? "tar"
        : undefined;
  if (format === undefined) {
    const compressed = /(^|\.)(tar\.bz2|tbz2|bz2|tar\.xz|txz|xz|gz)$/.test(name);
    throw unsupported(
      location,
      compressed
        ? "bzip2, xz and single-file gzip archives are not supported; use .tar.gz, .tgz, .zip or .tar"
        : "an HTTP location needs an archive extension (.tar.gz, .tgz, .zip, .tar) or ?archive=",
    );
  }
  return { url: url.href, format };
}

function unsupported(location: string, reason: string): LarderError {
  return new LarderError("unsupported", `Cannot fetch module source "${location}": ${reason}.`);
}

/**
 * The source without its subdirectory: one key for every subdirectory of the same repository or archive at the
 * same ref (`git::https://host/repo.git?ref=v1` for `git::https://host/repo.git//modules/x?ref=v1`).
 */
export function moduleSourceKey(source: ModuleSource): string {
  switch (source.kind) {
    case "archive":
      return source.url;
    case "github":
      return `github.com/${source.owner}/${source.repo}${source.ref === undefined ? "" : `?ref=${source.ref}`}`;
    case "git":
      return `git::${source.url}${source.ref === undefined ? "" : `?ref=${source.ref}`}`;
  }
}

/** The host init reaches for a module source (`github.com`, `git.example.com:8443`); undefined if unreadable. */
export function moduleSourceHost(location: string): string | undefined {
  try {
    const source = parseModuleSource(location);
    return source.kind === "github" ? "github.com" : new URL(source.url).host;
  } catch {
    return undefined;
  }
}
