// Keeps store.layout in step with the document: re-runs the layout when
// the graph's shape changes (not when a field value changes), and drops a
// result that arrives after the document moved on. A layout can be asked for
// ahead of time (the Import dialog does, as soon as the pasted text parses):
// when that document is then loaded, its layout is already there or on its way.

import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import type { Store } from "../store/store";
import { layout, topologyKey, type LayoutResult, type RunLayout } from "./elk";

/** Layouts kept by shape: the current one and one asked for ahead. */
const KEEP = 2;

export class LayoutController {
  private lastKey = "";
  private running: Promise<void> = Promise.resolve();
  private byShape = new Map<string, Promise<LayoutResult>>();
  /** Milliseconds the last layout took (shown by the benchmark). */
  lastDuration = 0;
  /** Called with a layout just before it goes into the store (the viewport fits to it first). */
  beforeLanding: (result: LayoutResult) => void = () => undefined;

  constructor(
    private store: Store,
    private run: RunLayout,
  ) {
    store.subscribe((s, prev) => {
      if (s.doc !== prev.doc) this.schedule();
    });
  }

  private layoutOf(graph: ReturnType<typeof toGraph>, key: string, fresh: boolean): Promise<LayoutResult> {
    let result = fresh ? undefined : this.byShape.get(key);
    if (!result) {
      result = layout(graph, this.run);
      // A failed layout is not kept: the next request tries again.
      result.catch(() => this.byShape.delete(key));
      this.byShape.delete(key);
      this.byShape.set(key, result);
      while (this.byShape.size > KEEP) this.byShape.delete(this.byShape.keys().next().value!);
    }
    return result;
  }

  /**
   * Lay out a throwaway machine once, when the page is idle: ELK's code is cold in a new
   * worker and the first big layout pays for compiling it (seconds, against a few hundred
   * milliseconds warm). The result is dropped.
   */
  warmUp(): Promise<void> {
    const States: StateMachine["States"] = {};
    for (let i = 0; i < 48; i++) {
      const next = `S${i + 1}`;
      States[`S${i}`] =
        i % 4 === 3
          ? { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: `S${i - 2}` }], Default: next }
          : { Type: "Task", Resource: "r", Next: next, Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }] };
    }
    States.S48 = { Type: "Parallel", Branches: [{ StartAt: "P", States: { P: { Type: "Pass", End: true } } }], End: true };
    States.F = { Type: "Fail" };
    return layout(toGraph({ StartAt: "S0", States }), this.run).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Start laying out a document that may be loaded soon. */
  prefetch(doc: StateMachine): void {
    const graph = toGraph(doc);
    void this.layoutOf(graph, topologyKey(graph), false).catch(() => undefined);
  }

  /** Lay out now if the shape changed; resolves when store.layout reflects the current document. */
  schedule(force = false): Promise<void> {
    const { doc, docVersion } = this.store.get();
    const graph = toGraph(doc);
    const key = topologyKey(graph);
    if (!force && key === this.lastKey) return this.running;
    this.lastKey = key;
    const started = performance.now();
    this.running = this.layoutOf(graph, key, force).then(
      (result) => {
        const { positions, routes } = result;
        this.lastDuration = performance.now() - started;
        // A newer layout of the same shape is as good; only a changed shape makes this stale.
        if (this.store.get().docVersion !== docVersion && topologyKey(toGraph(this.store.get().doc)) !== key) return;
        this.beforeLanding(result);
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
