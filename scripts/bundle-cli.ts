// Bundles the `larder` command (main/cli/main.ts and what it imports, libraries included) into dist/cli/ with
// esbuild, as part of `npm run build`. Node then loads a few files instead of ~400 modules, each resolved, read
// and linked on its own: a command's start-up was mostly that (issue 16: `larder check` 0.32 → 0.21 s of CPU).
// Lazy `import()`s stay lazy as chunks of their own, so a command still loads only what it runs. Native addons
// and packages that read files beside themselves (the HCL parser's WebAssembly) stay in node_modules.
import { build } from "esbuild";

// The folder is not emptied first: a running `larder serve` may still import one of its lazy chunks, and chunk
// names carry a content hash, so a chunk is only ever rewritten with the same bytes. Old chunks are left behind.

await build({
  entryPoints: { larder: "main/cli/main.ts" },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  external: ["better-sqlite3", "@cdktf/hcl2json", "electron"],
  // CommonJS libraries inside an ES module bundle still call require() for Node's built-ins.
  banner: {
    js: 'import { createRequire as larderRequire } from "node:module"; const require = larderRequire(import.meta.url);',
  },
});
