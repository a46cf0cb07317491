import { describe, expect, it } from "vitest";
import { stateId } from "../../asl/ids";
import { toGraph } from "../../asl/toGraph";
import type { StateMachine } from "../../asl/types";
import histories from "../fixtures/histories.json";
import { ExecutionModel, type HistoryEvent } from "../model";
import { longHistory } from "./longHistory";
import { indexOfSeq, Reconstruction } from "./reconstruct";

function factory(definition: StateMachine): () => ExecutionModel {
  const graph = toGraph(definition);
  const ids = new Set(graph.nodes.map((n) => n.id));
  return () => new ExecutionModel(ids, (node) => graph.nodes.filter((n) => n.kind === "scope" && n.parentId === node).length);
}

/** What the views read of a model, comparable with toEqual. */
function seen(m: ExecutionModel, nodes: string[]) {
  return {
    events: m.events.length,
    status: m.status,
    stopMs: m.stopMs,
    visits: m.visits.map((v) => [v.node, v.iteration, m.visitStatus(v), v.attempts.map((a) => a.outcome), v.output ?? null]),
    nodes: nodes.map((n) => [n, m.nodeStatus(n), m.visitCount(n), m.retries(n)]),
    maps: [...m.maps],
    iterations: [...m.iterations].map(([k, v]) => [k, [...v]]),
  };
}

function reference(make: () => ExecutionModel, events: HistoryEvent[], n: number): ExecutionModel {
  const m = make();
  for (const e of events.slice(0, n)) m.add(e);
  return m;
}

describe("Reconstruction", () => {
  it("gives, at every position of recorded histories, what a model fed that far shows", () => {
    for (const key of Object.keys(histories) as (keyof typeof histories)[]) {
      const h = histories[key];
      const definition = h.definition as unknown as StateMachine;
      const events = h.events as unknown as HistoryEvent[];
      const make = factory(definition);
      const nodes = toGraph(definition).nodes.map((n) => n.id);
      const r = new Reconstruction(() => events, make, 4);
      // Forward one at a time, then every position again backwards (checkpoints every 4).
      const order = [...events.keys(), events.length, ...[...events.keys()].reverse()];
      for (const n of order) {
        expect(seen(r.seek(n), nodes), `${key} at ${n}`).toEqual(seen(reference(make, events, n), nodes));
      }
    }
  });

  it("a retried task is in progress mid-history and succeeded with one retry at the end", () => {
    const h = histories.retried;
    const events = h.events as unknown as HistoryEvent[];
    const r = new Reconstruction(() => events, factory(h.definition as unknown as StateMachine), 4);
    const failed = events.findIndex((e) => /(TaskFailed|LambdaFunctionFailed)$/.test(e.type));
    expect(failed).toBeGreaterThan(0);
    const mid = r.seek(failed + 1);
    const node = mid.visits[mid.visits.length - 1].node;
    expect(mid.status).toBe("RUNNING");
    expect(mid.nodeStatus(node)).toBe("in-progress");
    expect(r.seek(events.length).nodeStatus(node)).toBe("succeeded");
    expect(r.seek(events.length).retries(node)).toBeGreaterThan(0);
  });

  it("25,000 events: any position, back or forth, replays at most one checkpoint interval", { timeout: 30_000 }, () => {
    const { definition, events } = longHistory(2083);
    expect(events.length).toBe(25_000);
    let reads = 0;
    const counted = new Proxy(events, { get: (target, key) => { if (typeof key === "string" && /^\d+$/.test(key)) reads++; return Reflect.get(target, key); } });
    const make = factory(definition);
    const r = new Reconstruction(() => counted, make, 1000);
    r.seek(25_000); // the first pass reads everything once and keeps checkpoints
    expect(r.seek(25_000).status).toBe("SUCCEEDED");
    const nodes = [stateId("", "Work"), stateId("", "Done")];
    for (const n of [24_321, 3, 17_999, 12_000, 24_999, 1]) {
      reads = 0;
      const m = r.seek(n);
      expect(reads).toBeLessThanOrEqual(1000);
      expect(seen(m, nodes)).toEqual(seen(reference(make, events, n), nodes));
    }
    expect(r.seek(13).visitCount(stateId("", "Work"))).toBe(1);
  });

  it("starts at the end from the live model and builds checkpoints in slices", { timeout: 30_000 }, () => {
    const { definition, events } = longHistory(300); // 3,603 events
    const make = factory(definition);
    const live = reference(make, events, events.length);
    const nodes = [stateId("", "Work"), stateId("", "Done")];
    let reads = 0;
    const counted = new Proxy(events, { get: (target, key) => { if (typeof key === "string" && /^\d+$/.test(key)) reads++; return Reflect.get(target, key); } });
    const r = new Reconstruction(() => counted, make, 1000);
    r.startAt(live, events.length);
    expect(reads).toBe(0);
    expect(seen(r.seek(events.length), nodes)).toEqual(seen(live, nodes));
    let slices = 0;
    while (r.warm(500)) slices++;
    expect(slices).toBe(7);
    reads = 0;
    expect(seen(r.seek(2_500), nodes)).toEqual(seen(reference(make, events, 2_500), nodes));
    expect(reads).toBeLessThanOrEqual(500);
    // The live model handed over is never changed by the replay.
    expect(live.events.length).toBe(events.length);
  });

  it("finds the position of a state's Nth visit", () => {
    const { definition, events } = longHistory(5);
    const live = factory(definition)();
    for (const e of events) live.add(e);
    const at = Reconstruction.visitPosition(live, stateId("", "Work"), 3)!;
    expect(events[at - 1].type).toBe("TaskStateEntered");
    const r = new Reconstruction(() => events, factory(definition));
    expect(r.seek(at).visitCount(stateId("", "Work"))).toBe(3);
    expect(r.seek(at).nodeStatus(stateId("", "Work"))).toBe("in-progress");
    expect(Reconstruction.visitPosition(live, stateId("", "Work"), 6)).toBeNull();
    expect(indexOfSeq(events, 40)).toBe(39);
  });
});
