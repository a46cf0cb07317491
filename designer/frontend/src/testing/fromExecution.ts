// "Open in test": an execution's input and its recorded Task results as a test case, so a
// failure can be reproduced in the Test tab without calling anything. The history is read
// with the live view's model (its visits and attempts); each Task state gets the attempts
// of its first visit — Step Functions Local's attempt numbers restart at every entry into a
// state, so one table per state is all its file can say (docs/testing.md).

import type { StateMachine } from "../asl/types";
import type { Attempt, ExecutionModel } from "../live/model";
import { modelOf } from "./runOverlay";
import type { AttemptMock, TestCase } from "./mocks";

function attemptMock(a: Attempt): AttemptMock | null {
  if (a.outcome === "succeeded") return { kind: "return", value: a.output ?? "null" };
  if (a.outcome === "timed-out") return { kind: "timeout", cause: a.cause };
  if (a.outcome === "failed") return { kind: "throw", error: a.error ?? "", cause: a.cause };
  return null; // still running or cut short: nothing recorded to replay
}

export function caseFromModel(model: ExecutionModel, name: string, input: unknown): TestCase {
  const states: TestCase["states"] = {};
  for (const visit of model.visits) {
    if (visit.stateType !== "Task" || visit.name in states) continue;
    const attempts = visit.attempts.map(attemptMock).filter((a): a is AttemptMock => a !== null);
    if (attempts.length) states[visit.name] = { real: false, attempts };
  }
  return { name, input: JSON.stringify(input ?? {}, null, 2), states };
}

export function caseFromHistory(doc: StateMachine, events: Record<string, unknown>[], name: string, input: unknown): TestCase {
  return caseFromModel(modelOf(doc, events), name, input);
}
