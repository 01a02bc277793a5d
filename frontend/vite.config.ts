/**
 * Vite builds one entry per page into static/build/ with a manifest that Django reads.
 * A page is a folder of src/ with a `main.ts`: `src/basics/main.ts` is the entry that the
 * template loads with `{% vite_entry "basics" %}`; `src/shared/` holds what every page uses.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

const SRC = join(import.meta.dirname, "src");

/** Every page's entry, by page name: the folders of src/ that have a main.ts. */
export function pageEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const folder of readdirSync(SRC, { withFileTypes: true })) {
    if (folder.isDirectory() && existsSync(join(SRC, folder.name, "main.ts"))) entries[folder.name] = `src/${folder.name}/main.ts`;
  }
  return entries;
}

export default defineConfig({
  base: "/static/build/",
  build: {
    outDir: "../static/build",
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    rollupOptions: {
      input: pageEntries(),
      output: {
        manualChunks: (id) => (id.includes("node_modules") ? "vendor" : undefined),
      },
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
  },
});
