import { describe, expect, it } from "vitest";
import type { StateMachine } from "../asl/types";
import histories from "../live/fixtures/histories.json";
import { caseFromHistory } from "./fromExecution";
import { toMockConfig } from "./mocks";

function fromFixture(key: keyof typeof histories) {
  const h = histories[key];
  return caseFromHistory(h.definition as unknown as StateMachine, h.events as unknown as Record<string, unknown>[], `From ${key}`, { x: 1 });
}

describe("caseFromHistory", () => {
  it("turns a retried task's recorded failure and success into attempts of its mock", () => {
    const c = fromFixture("retried");
    const [state, mock] = Object.entries(c.states)[0];
    expect(mock.attempts.map((a) => a.kind)).toEqual(["throw", "return"]);
    expect(mock.attempts[0].error).toBeTruthy();
    // What the file says: the first attempt throws what was recorded, the second returns.
    const file = toMockConfig("m", [c]);
    const table = file.MockedResponses[`From retried: ${state}`];
    expect(Object.keys(table)).toEqual(["0", "1"]);
    expect(table["0"]).toHaveProperty("Throw.Error", mock.attempts[0].error);
    expect(JSON.parse(c.input)).toEqual({ x: 1 });
  });

  it("records Tasks inside Parallel branches too, with the output they returned", () => {
    const h = histories.failed;
    const c = fromFixture("failed");
    const mocks = Object.values(c.states);
    expect(mocks).toHaveLength(1);
    expect(mocks[0].attempts).toHaveLength(1);
    const succeeded = h.events.find((e) => e.type === "LambdaFunctionSucceeded") as unknown as { lambdaFunctionSucceededEventDetails: { output: string } };
    expect(mocks[0].attempts[0]).toEqual({ kind: "return", value: succeeded.lambdaFunctionSucceededEventDetails.output });
  });
});
