/** Vite builds one entry per page into static/build/ with a manifest that Django reads. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  base: "/static/build/",
  build: {
    outDir: "../static/build",
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    rollupOptions: {
      input: {
        home: "src/home.ts",
        basics: "src/basics.ts",
        run: "src/run.ts",
      },
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
