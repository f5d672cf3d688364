// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const appFolders = ["db", "store", "upstream", "engine", "jobs", "bundle", "server", "cli", "electron"];

/**
 * The layering rule of docs/architecture.md §2, enforced by folder.
 * @param {string[]} folders sibling folders under main/ that may not be imported
 * @param {string[]} packages packages that may not be imported
 */
function forbid(folders, packages) {
  return {
    "no-restricted-imports": [
      "error",
      {
        paths: packages.map((name) => ({
          name,
          message: "This layer may not use this package (architecture §2).",
        })),
        patterns: folders.map((folder) => ({
          group: [`**/${folder}/*`, `**/${folder}`],
          message: `This layer may not import main/${folder} (architecture §2).`,
        })),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ["dist/**", "release/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "electron", message: "Only main/electron imports electron." }] },
      ],
    },
  },
  { files: ["bin/**/*.js", "eslint.config.js"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["shared/**/*.ts"],
    rules: forbid(["main", "renderer", ...appFolders], ["electron", "express", "better-sqlite3"]),
  },
  {
    files: ["main/core/**/*.ts"],
    rules: forbid(appFolders, [
      "electron",
      "express",
      "better-sqlite3",
      "undici",
      "node:fs",
      "node:fs/promises",
      "node:http",
      "node:https",
      "node:net",
    ]),
  },
  { files: ["main/server/**/*.ts"], rules: forbid(["db", "electron"], ["electron", "better-sqlite3"]) },
  { files: ["main/electron/**/*.{ts,cts}"], rules: { "no-restricted-imports": "off" } },
  // A sandboxed preload is CommonJS: `import x = require()` is how TypeScript writes its one import.
  { files: ["main/electron/**/*.cts"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // The desktop layer's tests may name Electron's types (to build fakes of them), never load the module.
  {
    files: ["test/**/electron/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "electron",
              message: "Tests fake Electron: import its types only.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(["main"], ["electron", "express", "better-sqlite3"]),
  },
  {
    ...tseslint.configs.disableTypeChecked,
    files: ["renderer/public/**/*.js"],
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.browser },
    },
  },
);
