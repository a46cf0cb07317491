// Runs ELK in a Web Worker so a large definition lays out without freezing
// the page. The worker is elkjs's own prebuilt elk-worker.min.js, shipped
// verbatim: bundling it as an ES module worker made ELK 3-4x slower.

import ELK from "elkjs/lib/elk-api.js";
import type { RunLayout } from "./elk";

/** How long the last layout took, measured around the worker round trip (the benchmark reports it). */
export let lastElkMs = 0;

export function createWorkerRunner(): RunLayout {
  const workerUrl = new URL("../../node_modules/elkjs/lib/elk-worker.min.js", import.meta.url).href;
  const elk = new ELK({ workerFactory: () => new Worker(workerUrl) });
  return async (graph) => {
    const started = performance.now();
    const result = await elk.layout(graph);
    lastElkMs = performance.now() - started;
    return result;
  };
}
