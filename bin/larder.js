#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2 (MB): under 64 keep-alive connections V8 otherwise grows its young generation to ~48 MB
// and `larder serve` peaks near 200 MB RSS; with 2 MB semi-spaces it peaks near 120 MB at the same requests/s
// (npm run bench -- --only metadata). The flag cannot be set once V8 has started, hence the shebang.
// Entry point for the `larder` command: the bundle `npm run build` writes to dist/cli/ (scripts/bundle-cli.ts),
// which `npm install` runs through the `prepare` script.
import { runCli } from "../dist/cli/larder.js";

process.exitCode = await runCli(process.argv);
