// Picks where ELK runs: a Web Worker in the browser, in-process where
// workers are not available (tests, very old browsers).

import type { ElkNode } from "elkjs/lib/elk-api";
import type { RunLayout } from "./elk";

export function createWorkerRunner(): RunLayout {
  let worker: Worker | null = null;
  try {
    worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
  } catch {
    worker = null;
  }
  if (!worker) return inProcessRunner();
  let seq = 0;
  const pending = new Map<number, { resolve: (n: ElkNode) => void; reject: (e: Error) => void }>();
  worker.onmessage = (event: MessageEvent<{ id: number; result?: ElkNode; error?: string }>) => {
    const p = pending.get(event.data.id);
    if (!p) return;
    pending.delete(event.data.id);
    if (event.data.error) p.reject(new Error(event.data.error));
    else p.resolve(event.data.result!);
  };
  return (graph) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      worker!.postMessage({ id, graph });
    });
}

export function inProcessRunner(): RunLayout {
  let elk: Promise<{ layout: RunLayout }> | null = null;
  return async (graph) => {
    elk ??= import("elkjs/lib/elk.bundled.js").then((m) => new m.default());
    return (await elk).layout(graph);
  };
}
