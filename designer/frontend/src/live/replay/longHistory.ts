// A synthetic history for the replay's test and benchmark: a loop of laps of Pass, a Task
// failing once then succeeding after a retry, and a Choice; then Succeed.

import type { StateMachine } from "../../asl/types";
import type { HistoryEvent } from "../model";

export /** A loop of `laps` × (Pass, Task failing once then succeeding after a retry), then Succeed. */
function longHistory(laps: number): { definition: StateMachine; events: HistoryEvent[] } {
  const definition = {
    StartAt: "Step",
    States: {
      Step: { Type: "Pass", Next: "Work" },
      Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Retry: [{ ErrorEquals: ["States.ALL"] }], Next: "More?" },
      "More?": { Type: "Choice", Choices: [{ Variable: "$.more", BooleanEquals: true, Next: "Step" }], Default: "Done" },
      Done: { Type: "Succeed" },
    },
  } as unknown as StateMachine;
  const events: HistoryEvent[] = [];
  let t = Date.parse("2026-12-06T10:00:00Z");
  const add = (type: string, details: Record<string, unknown> = {}, key?: string) => {
    const id = events.length + 1;
    const e: HistoryEvent = { id, seq: id, previousEventId: id - 1, type, timestamp: new Date((t += 10)).toISOString() };
    if (Object.keys(details).length) e[key ?? `${type[0].toLowerCase()}${type.slice(1)}EventDetails`] = details;
    events.push(e);
  };
  add("ExecutionStarted", { input: "{}" });
  for (let i = 0; i < laps; i++) {
    add("PassStateEntered", { name: "Step", input: "{}" }, "stateEnteredEventDetails");
    add("PassStateExited", { name: "Step", output: "{}" }, "stateExitedEventDetails");
    add("TaskStateEntered", { name: "Work", input: "{}" }, "stateEnteredEventDetails");
    add("TaskScheduled", { resource: "invoke", parameters: "{}" });
    add("TaskStarted", { resource: "invoke" });
    add("TaskFailed", { error: "Busy", cause: "later" });
    add("TaskScheduled", { resource: "invoke", parameters: "{}" });
    add("TaskStarted", { resource: "invoke" });
    add("TaskSucceeded", { output: `{"lap": ${i}}` });
    add("TaskStateExited", { name: "Work", output: `{"lap": ${i}}` }, "stateExitedEventDetails");
    add("ChoiceStateEntered", { name: "More?", input: "{}" }, "stateEnteredEventDetails");
    add("ChoiceStateExited", { name: "More?", output: "{}" }, "stateExitedEventDetails");
  }
  add("SucceedStateEntered", { name: "Done", input: "{}" }, "stateEnteredEventDetails");
  add("SucceedStateExited", { name: "Done", output: "{}" }, "stateExitedEventDetails");
  add("ExecutionSucceeded", { output: "{}" });
  return { definition, events };
}

