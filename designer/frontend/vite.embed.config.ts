import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

// The embeddable graph (src/embed/graph.ts, docs/embed.md): one classic script, no imports,
// no worker file, its styles inside, so another web app includes it with a plain <script>
// and gets window.StepStudioGraph. Fixed file name, no hashes: CI compares a rebuild.
export default defineConfig({
  base: "./",
  publicDir: false,
  // The designer's worker runner (never called here: the embed runs ELK in the page) is the
  // only reader of import.meta, which a classic script does not have.
  define: { "process.env.NODE_ENV": JSON.stringify("production"), "import.meta.url": "undefined" },
  build: {
    outDir: fileURLToPath(new URL("../../static/embed", import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: "es2020",
    chunkSizeWarningLimit: 4000,
    lib: {
      entry: fileURLToPath(new URL("src/embed/graph.ts", import.meta.url)),
      formats: ["iife"],
      name: "StepStudioGraph",
      fileName: () => "stepstudio-graph.js",
    },
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
