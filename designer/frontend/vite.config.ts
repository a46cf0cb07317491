import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

// Built files land in the Django static tree with fixed names: the template
// references them with {% static %} and CI checks that a rebuild reproduces
// the committed bytes, so no content hashes and no timestamps.
const outDir = fileURLToPath(new URL("../../static/designer", import.meta.url));

export default defineConfig({
  plugins: [react()],
  base: "./",
  publicDir: false,
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    // One stylesheet per page entry (designer.css, live.css, home.css).
    cssCodeSplit: true,
    target: "es2022",
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // The timing report differs run to run and is noise in CI logs.
      checks: { pluginTimings: false },
      input: {
        designer: fileURLToPath(new URL("src/main.tsx", import.meta.url)),
        // The live execution view (engine/templates/live/): its own page, no React.
        live: fileURLToPath(new URL("src/live/main.ts", import.meta.url)),
        // The state machines home page (engine/templates/machines/): its dialogs.
        home: fileURLToPath(new URL("src/home/main.tsx", import.meta.url)),
        // The monitoring pages (engine/templates/monitoring/): Chart.js, no React.
        monitoring: fileURLToPath(new URL("src/monitoring/main.ts", import.meta.url)),
      },
      output: {
        // What several pages load (React, the dialogs the home page borrows from the
        // designer): one chunk with a name that says so.
        codeSplitting: { groups: [{ name: "shared", minShareCount: 2 }] },
        entryFileNames: "[name].js",
        chunkFileNames: "[name].js",
        assetFileNames: (info) => (info.names?.[0]?.endsWith(".css") ? info.names[0] : "[name][extname]"),
      },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
