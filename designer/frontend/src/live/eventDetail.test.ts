import { describe, expect, it } from "vitest";
import { eventJson, readable } from "./eventDetail";
import type { HistoryEvent } from "./model";

const event = {
  seq: 7, id: 7, previousEventId: 6, type: "TaskStateExited", timestamp: "2026-01-01T00:00:00.000Z",
  stateExitedEventDetails: { name: "Check", output: "{\"job\":{\"status\":\"DONE\"}}", outputDetails: { truncated: false } },
} as HistoryEvent;

describe("event details", () => {
  it("unfolds the JSON text of input/output/cause and drops the page's own seq", () => {
    const r = readable(event);
    expect(r.seq).toBeUndefined();
    expect(r.stateExitedEventDetails).toEqual({ name: "Check", output: { job: { status: "DONE" } }, outputDetails: { truncated: false } });
    expect(eventJson(event)).toContain('"status": "DONE"');
    expect(Object.keys(r).slice(0, 4)).toEqual(["id", "type", "previousEventId", "timestamp"]);
  });

  it("leaves text that is not JSON as it is", () => {
    const failed = { ...event, type: "TaskFailed", taskFailedEventDetails: { error: "E", cause: "{not json" } } as HistoryEvent;
    expect((readable(failed).taskFailedEventDetails as Record<string, unknown>).cause).toBe("{not json");
  });
});
