// The live model over histories recorded from the evaluator (engine.asl's local driver on
// the samples; regenerate with the script in fixtures/README.md when event shapes change).

import { describe, expect, it } from "vitest";
import { branchScopeId, processorScopeId, stateId } from "../asl/ids";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import histories from "./fixtures/histories.json";
import { ExecutionModel, type HistoryEvent } from "./model";

function model(key: keyof typeof histories): ExecutionModel {
  const h = histories[key];
  const graph = toGraph(h.definition as unknown as StateMachine);
  const m = new ExecutionModel(new Set(graph.nodes.map((n) => n.id)),
    (node) => graph.nodes.filter((n) => n.kind === "scope" && n.parentId === node).length);
  for (const e of h.events) m.add(e as unknown as HistoryEvent);
  return m;
}

describe("ExecutionModel", () => {
  it("counts Map items and attributes interleaved iteration events to the processor's states", () => {
    const m = model("map");
    expect(m.maps.get("SquareAll")).toEqual({ total: 3, succeeded: 3, failed: 0, running: 0, aborted: 0 });
    const square = stateId(processorScopeId("SquareAll"), "Square");
    expect(m.nodeStatus(square)).toBe("succeeded");
    expect(m.visitCount(square)).toBe(3);
    expect(m.byNode.get(square)!.map((i) => m.visits[i].iteration)).toEqual(["SquareAll[0]", "SquareAll[1]", "SquareAll[2]"]);
    expect(m.steps[m.events.findIndex((e) => e.type === "MapIterationStarted")]).toBe("SquareAll");
  });

  it("shows a state left through Catch as caught and its target as succeeded", () => {
    const m = model("caught");
    expect(m.nodeStatus("Charge")).toBe("caught");
    expect(m.nodeStatus("Declined")).toBe("succeeded");
    expect(m.nodeStatus("Paid")).toBe("not-reached");
  });

  it("counts a retry, and a retried success is a success with two attempts and a backoff", () => {
    const m = model("retried");
    expect(m.nodeStatus("Charge")).toBe("succeeded");
    expect(m.retries("Charge")).toBe(1);
    const visit = m.visits[m.byNode.get("Charge")![0]];
    expect(visit.attempts.map((a) => a.outcome)).toEqual(["failed", "succeeded"]);
    expect(visit.attempts[0].error).toBe("GatewayTimeout");
  });

  it("marks the failing branch state failed and the other branch's open state aborted", () => {
    const m = model("failed");
    expect(m.status).toBe("FAILED");
    expect(m.nodeStatus("Greet")).toBe("failed");
    expect(m.nodeStatus(stateId(branchScopeId("Greet", 1), "Loud"))).toBe("failed");
    const polite = m.nodeStatus(stateId(branchScopeId("Greet", 0), "Polite"));
    expect(["aborted", "succeeded"]).toContain(polite);
  });
});
