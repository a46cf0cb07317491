// How the live model shows failures and work cut short: a Fail state that failed the
// execution, Map iterations aborted when a sibling failed, states aborted by a stop.

import { describe, expect, it } from "vitest";
import { processorScopeId, stateId } from "../asl/ids";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import histories from "./fixtures/histories.json";
import { ExecutionModel, type HistoryEvent } from "./model";

function modelOf(definition: unknown, events: unknown[]): ExecutionModel {
  const graph = toGraph(definition as StateMachine);
  const m = new ExecutionModel(new Set(graph.nodes.map((n) => n.id)),
    (node) => graph.nodes.filter((n) => n.kind === "scope" && n.parentId === node).length);
  for (const e of events) m.add(e as HistoryEvent);
  return m;
}

const MAP = {
  StartAt: "SquareAll",
  States: {
    SquareAll: {
      Type: "Map", ItemsPath: "$.numbers", End: true,
      ItemProcessor: { StartAt: "Square", States: { Square: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:square", End: true } } },
    },
  },
};

/** A history as the runtime records it when iteration 1 fails while 0 and 2 still run. */
function failedMap(): Record<string, unknown>[] {
  let id = 0;
  const t = (s: number) => `2026-01-01T00:00:0${s}.000Z`;
  const ev = (type: string, prev: number, extra: Record<string, unknown> = {}, s = 0) => ({ id: ++id, seq: id, previousEventId: prev, type, timestamp: t(s), ...extra });
  const events = [ev("ExecutionStarted", 0, { executionStartedEventDetails: { input: "{}" } })];
  events.push(ev("MapStateEntered", 0, { stateEnteredEventDetails: { name: "SquareAll", input: "{}" } }));
  events.push(ev("MapStateStarted", 2, { mapStateStartedEventDetails: { length: 3 } }));
  const entered: number[] = [];
  for (const index of [0, 1, 2]) {
    const started = ev("MapIterationStarted", 3, { mapIterationStartedEventDetails: { name: "SquareAll", index } });
    events.push(started);
    const task = ev("TaskStateEntered", started.id, { stateEnteredEventDetails: { name: "Square", input: String(index) } });
    events.push(task);
    entered.push(task.id);
  }
  events.push(ev("TaskScheduled", entered[1], { taskScheduledEventDetails: { resource: "invoke", parameters: "1" } }));
  events.push(ev("TaskFailed", id, { taskFailedEventDetails: { error: "Boom", cause: "item 1" } }, 1));
  events.push(ev("MapIterationFailed", id, { mapIterationFailedEventDetails: { name: "SquareAll", index: 1 } }, 1));
  events.push(ev("MapIterationAborted", entered[0], { mapIterationAbortedEventDetails: { name: "SquareAll", index: 0 } }, 1));
  events.push(ev("MapIterationAborted", entered[2], { mapIterationAbortedEventDetails: { name: "SquareAll", index: 2 } }, 1));
  events.push(ev("MapStateFailed", 3, { mapStateFailedEventDetails: { error: "Boom", cause: "item 1" } }, 1));
  events.push(ev("ExecutionFailed", id, { executionFailedEventDetails: { error: "Boom", cause: "item 1" } }, 1));
  return events;
}

describe("failures in the live model", () => {
  it("shows the Fail state that failed the execution as failed, with its error and cause", () => {
    const h = histories.failedJob;
    const m = modelOf(h.definition, h.events);
    expect(m.status).toBe("FAILED");
    expect(m.nodeStatus("TaskFailed")).toBe("failed");
    const visit = m.visits[m.byNode.get("TaskFailed")![0]];
    expect(visit.failure?.error).toBe("JobFailed");
    expect(visit.failure?.cause).toBe("The external job reported FAILED");
    expect(m.nodeStatus("IsTaskDone")).toBe("succeeded");
    expect(m.nodeStatus("TaskCompleted")).toBe("not-reached");
  });

  it("ends the iterations aborted beside a failed one: none is left running", () => {
    const m = modelOf(MAP, failedMap());
    expect(m.maps.get("SquareAll")).toEqual({ total: 3, succeeded: 0, failed: 1, running: 0, aborted: 2 });
    expect([...m.iterations.get("SquareAll")!.entries()].sort()).toEqual([[0, "aborted"], [1, "failed"], [2, "aborted"]]);
    const square = stateId(processorScopeId("SquareAll"), "Square");
    const statuses = m.byNode.get(square)!.map((i) => m.visitStatus(m.visits[i]));
    expect(statuses).toEqual(["aborted", "failed", "aborted"]);
    expect(m.nodeStatus("SquareAll")).toBe("failed");
  });

  it("keeps the iterations aborted while a Catch lets the execution go on", () => {
    const events = failedMap().slice(0, -1); // no ExecutionFailed: still RUNNING
    const m = modelOf(MAP, events);
    expect(m.status).toBe("RUNNING");
    const square = stateId(processorScopeId("SquareAll"), "Square");
    expect(m.byNode.get(square)!.map((i) => m.visitStatus(m.visits[i]))).toEqual(["aborted", "failed", "aborted"]);
    expect(m.maps.get("SquareAll")!.running).toBe(0);
  });

  it("ends the iterations still running when the execution times out as aborted", () => {
    const events = failedMap().filter((e) => !/Failed|Aborted|TaskScheduled/.test(String(e.type)));
    events.push({ id: 99, seq: 99, previousEventId: 3, type: "ExecutionTimedOut", timestamp: "2026-01-01T00:00:09.000Z" });
    const m = modelOf(MAP, events);
    expect(m.status).toBe("TIMED_OUT");
    expect(m.maps.get("SquareAll")).toEqual({ total: 3, succeeded: 0, failed: 0, running: 0, aborted: 3 });
  });

  it("shows a state aborted by a stop as aborted, also after a redrive starts again", () => {
    const wait = { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 60, End: true } } };
    const t = "2026-01-01T00:00:00.000Z";
    const events = [
      { id: 1, seq: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: t },
      { id: 2, seq: 2, previousEventId: 0, type: "WaitStateEntered", timestamp: t, stateEnteredEventDetails: { name: "Hold", input: "{}" } },
      { id: 3, seq: 3, previousEventId: 2, type: "WaitStateAborted", timestamp: t },
      { id: 4, seq: 4, previousEventId: 3, type: "ExecutionAborted", timestamp: t, executionAbortedEventDetails: { error: "Stopped" } },
    ];
    const m = modelOf(wait, events);
    expect(m.nodeStatus("Hold")).toBe("aborted");
    m.add({ id: 5, seq: 5, previousEventId: 4, type: "ExecutionRedriven", timestamp: t });
    expect(m.visitStatus(m.visits[0])).toBe("aborted");
  });

  it("shows a state that failed, then succeeded after a redrive, as succeeded (its failed visit kept)", () => {
    const task = { StartAt: "Charge", States: { Charge: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:charge", End: true } } };
    const t = "2026-01-01T00:00:00.000Z";
    const entered = (id: number, prev: number) => ({ id, seq: id, previousEventId: prev, type: "TaskStateEntered", timestamp: t, stateEnteredEventDetails: { name: "Charge", input: "{}" } });
    const events = [
      { id: 1, seq: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: t },
      entered(2, 1),
      { id: 3, seq: 3, previousEventId: 2, type: "TaskScheduled", timestamp: t, taskScheduledEventDetails: { resource: "charge", parameters: "{}" } },
      { id: 4, seq: 4, previousEventId: 3, type: "TaskFailed", timestamp: t, taskFailedEventDetails: { error: "Declined", cause: "no" } },
      { id: 5, seq: 5, previousEventId: 4, type: "ExecutionFailed", timestamp: t, executionFailedEventDetails: { error: "Declined", cause: "no" } },
    ];
    const m = modelOf(task, events);
    expect(m.nodeStatus("Charge")).toBe("failed");
    m.add({ id: 6, seq: 6, previousEventId: 5, type: "ExecutionRedriven", timestamp: t });
    expect(m.nodeStatus("Charge")).toBe("failed");  // not re-entered yet: still the failure
    m.add(entered(7, 6) as HistoryEvent);
    m.add({ id: 8, seq: 8, previousEventId: 7, type: "TaskScheduled", timestamp: t, taskScheduledEventDetails: { resource: "charge", parameters: "{}" } });
    m.add({ id: 9, seq: 9, previousEventId: 8, type: "TaskSucceeded", timestamp: t, taskSucceededEventDetails: { output: "{}" } });
    m.add({ id: 10, seq: 10, previousEventId: 9, type: "TaskStateExited", timestamp: t, stateExitedEventDetails: { name: "Charge", output: "{}" } });
    m.add({ id: 11, seq: 11, previousEventId: 10, type: "ExecutionSucceeded", timestamp: t, executionSucceededEventDetails: { output: "{}" } });
    expect(m.nodeStatus("Charge")).toBe("succeeded");
    expect(m.visitStatus(m.visits[0])).toBe("failed");
    expect(m.clone().nodeStatus("Charge")).toBe("succeeded");
  });
});
