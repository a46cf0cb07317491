// Keeps store.layout in step with the document: re-runs the layout when
// the graph's shape changes (not when a field value changes), and drops a
// result that arrives after the document moved on.

import { toGraph } from "../asl/toGraph";
import type { Store } from "../store/store";
import { layout, topologyKey, type RunLayout } from "./elk";

export class LayoutController {
  private lastKey = "";
  private running: Promise<void> = Promise.resolve();
  /** Milliseconds the last layout took (shown by the benchmark). */
  lastDuration = 0;

  constructor(
    private store: Store,
    private run: RunLayout,
  ) {
    store.subscribe((s, prev) => {
      if (s.doc !== prev.doc) this.schedule();
    });
  }

  /** Lay out now if the shape changed; resolves when store.layout reflects the current document. */
  schedule(force = false): Promise<void> {
    const { doc, docVersion } = this.store.get();
    const graph = toGraph(doc);
    const key = topologyKey(graph);
    if (!force && key === this.lastKey) return this.running;
    this.lastKey = key;
    const started = performance.now();
    this.running = layout(graph, this.run).then(
      ({ positions, routes }) => {
        this.lastDuration = performance.now() - started;
        // A newer layout of the same shape is as good; only a changed shape makes this stale.
        if (this.store.get().docVersion !== docVersion && topologyKey(toGraph(this.store.get().doc)) !== key) return;
        this.store.set({ layout: positions, routes, layoutVersion: docVersion, layoutKey: key });
      },
      (error) => {
        // Still release the canvas (it waits for a big shape's layout): a drawing at
        // fallback positions beats an empty page.
        console.error("layout failed", error);
        if (this.store.get().docVersion === docVersion) this.store.set({ layout: {}, routes: {}, layoutVersion: docVersion, layoutKey: key });
      },
    );
    return this.running;
  }
}
