#!/usr/bin/env node
// Entry point for the `larder` command. The TypeScript sources are compiled to dist/ by `npm run build`,
// which `npm install` runs through the `prepare` script.
import { runCli } from "../dist/main/cli/main.js";

process.exitCode = await runCli(process.argv);
