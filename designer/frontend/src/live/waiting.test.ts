import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "./model";
import { stillWaiting } from "./waiting";

const ev = (id: number, type: string, timestamp: string) => ({ id, seq: id, previousEventId: id - 1, type, timestamp }) as HistoryEvent;

describe("the waiting-for-a-worker notice", () => {
  const items = [{ state: "Check", since: "2026-01-01T00:00:10Z" }, { state: "Render", since: "" }];

  it("drops a task once its state's attempt started after it was scheduled", () => {
    const events = [ev(1, "TaskStateEntered", "2026-01-01T00:00:10Z"), ev(2, "TaskScheduled", "2026-01-01T00:00:10Z"), ev(3, "TaskStarted", "2026-01-01T00:00:12Z")];
    expect(stillWaiting(items, events, ["Check", "Check", "Check"], 0)).toEqual([false, true]);
  });

  it("keeps it when only an earlier visit of the state started, or another state did", () => {
    const events = [ev(1, "LambdaFunctionStarted", "2026-01-01T00:00:05Z"), ev(2, "ActivityStarted", "2026-01-01T00:00:20Z")];
    expect(stillWaiting(items, events, ["Check", "Other"], 0)).toEqual([true, true]);
  });

  it("looks only at the events from `from` on", () => {
    const events = [ev(1, "TaskStarted", "2026-01-01T00:00:30Z"), ev(2, "TaskSucceeded", "2026-01-01T00:00:31Z")];
    expect(stillWaiting(items, events, ["Render", "Render"], 1)).toEqual([true, true]);
    expect(stillWaiting(items, events, ["Render", "Render"], 0)).toEqual([true, false]);
  });
});
