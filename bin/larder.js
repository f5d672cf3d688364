#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=20 --v8-pool-size=2
// V8 flags for a long-running `larder serve` whose live heap is small (tens of MB), all measured with
// `npm run bench -- --only metadata` (issue 15's RSS target, 120 MB while serving 1,000 provider versions):
// --max-semi-space-size=2 (MB): under 64 keep-alive connections V8 otherwise grows its young generation to ~48 MB
//   and `larder serve` peaks near 200 MB RSS; with 2 MB semi-spaces it peaks near 120 MB at the same requests/s.
// --heap-growing-percent=20: after each full GC V8 lets the old generation grow to up to 4x what was live before
//   the next one; request objects promoted under load (~1 MB/s) then piled up to 190 MB RSS in one run out of
//   several. Growing by 20% (at least 16 MB) keeps it at 105-115 MB for a full GC every few seconds of ~10 ms.
// --v8-pool-size=2: V8's helper threads (concurrent marking, compilation); Node's default of 4 adds threads and
//   malloc arenas and nothing on the 2-core machines Larder is measured on; with 2 the peak was 107-113 MB.
// Flags cannot be set once V8 has started, hence the shebang (tests and the bench read them from this line).
// Entry point for the `larder` command: the bundle `npm run build` writes to dist/cli/ (scripts/bundle-cli.ts),
// which `npm install` runs through the `prepare` script.
import { runCli } from "../dist/cli/larder.js";

process.exitCode = await runCli(process.argv);
