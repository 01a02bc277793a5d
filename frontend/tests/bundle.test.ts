/** The pages' JavaScript and CSS, gzipped, stay under 200 KB (checks the Vite build when present). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { pageEntries } from "../vite.config";

const BUILD = join(import.meta.dirname, "..", "..", "static", "build");
const LIMIT = 200 * 1024;

interface Chunk {
  file: string;
  css?: string[];
  imports?: string[];
  dynamicImports?: string[];
}

/** An entry's files with everything it imports, counting what it loads on demand (a task's run view) as loaded. */
function entryFiles(manifest: Record<string, Chunk>, key: string, seen = new Set<string>()): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  const imported = [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])];
  return [chunk.file, ...(chunk.css ?? []), ...imported.flatMap((k) => entryFiles(manifest, k, seen))];
}

describe.skipIf(!existsSync(join(BUILD, ".vite", "manifest.json")))("built bundle (run `npm run build` first)", () => {
  const manifest = JSON.parse(readFileSync(join(BUILD, ".vite", "manifest.json"), "utf8"));

  for (const [page, entry] of Object.entries(pageEntries())) {
    it(`keeps the ${page} page's JavaScript and CSS under 200 KB gzipped`, () => {
      const files = [...new Set(entryFiles(manifest, entry))];
      const bytes = files.reduce((total, file) => total + gzipSync(readFileSync(join(BUILD, file))).length, 0);
      console.log(`${page}: ${(bytes / 1024).toFixed(1)} KB gzipped in ${files.length} files`);
      expect(bytes).toBeLessThan(LIMIT);
    });
  }

  it("ships no font or script from another host", () => {
    for (const file of readdirSync(join(BUILD, "assets"))) {
      const text = readFileSync(join(BUILD, "assets", file), "utf8");
      expect(text).not.toMatch(/https?:\/\/(fonts\.googleapis|cdn\.|unpkg|jsdelivr)/);
      expect(text).not.toMatch(/@import\s+url\(\s*["']?https?:/);
    }
  });
});
