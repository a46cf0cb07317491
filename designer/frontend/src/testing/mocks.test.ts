import { describe, expect, it } from "vitest";
import { freshName, fromMockConfig, MockError, realHandlers, taskStates, toMockConfig, type TestCase } from "./mocks";

const retrying: TestCase = {
  name: "Fails twice",
  input: '{"order": 7}',
  states: {
    Charge: {
      real: false,
      attempts: [
        { kind: "throw", error: "Busy", cause: "try later" },
        { kind: "throw", error: "Busy", cause: "try later" },
        { kind: "return", value: '{"charged": true}', seconds: 30 },
      ],
    },
    Notify: { real: true, attempts: [] },
  },
  expect: { status: "SUCCEEDED", output: '{"charged": true}' },
};

describe("toMockConfig", () => {
  it("writes Step Functions Local's file with ranges, Seconds, Input and Expect", () => {
    expect(toMockConfig("orders", [retrying])).toEqual({
      StateMachines: {
        orders: {
          TestCases: {
            "Fails twice": {
              Charge: "Fails twice: Charge",
              Input: { order: 7 },
              Expect: { Status: "SUCCEEDED", Output: { charged: true } },
            },
          },
        },
      },
      MockedResponses: {
        "Fails twice: Charge": {
          "0-1": { Throw: { Error: "Busy", Cause: "try later" } },
          "2": { Return: { charged: true }, Seconds: 30 },
        },
      },
    });
  });

  it("leaves ticked real handlers unmocked and lists them", () => {
    const cfg = toMockConfig("orders", [retrying]);
    expect(cfg.StateMachines.orders.TestCases["Fails twice"]).not.toHaveProperty("Notify");
    expect(realHandlers(retrying)).toEqual(["Notify"]);
  });

  it("writes a time-out as States.Timeout and omits an empty expectation", () => {
    const c: TestCase = { name: "T", input: "", states: { S: { real: false, attempts: [{ kind: "timeout" }] } }, expect: {} };
    expect(toMockConfig("m", [c])).toEqual({
      StateMachines: { m: { TestCases: { T: { S: "T: S" } } } },
      MockedResponses: { "T: S": { "0": { Throw: { Error: "States.Timeout", Cause: "The mocked task timed out." } } } },
    });
  });

  it("names the field whose JSON does not parse", () => {
    const bad: TestCase = { name: "B", input: "{}", states: { S: { real: false, attempts: [{ kind: "return", value: "{oops" }] } } };
    expect(() => toMockConfig("m", [bad])).toThrow(MockError);
    expect(() => toMockConfig("m", [bad])).toThrow(/B › S, attempt 1: not valid JSON/);
    expect(() => toMockConfig("m", [{ ...bad, states: {}, input: '"text"' }])).toThrow(/wrap it in an object/);
  });
});

describe("fromMockConfig", () => {
  it("reads back what toMockConfig wrote", () => {
    const back = fromMockConfig(toMockConfig("orders", [retrying]), "orders");
    expect(back).toHaveLength(1);
    expect(back[0].name).toBe("Fails twice");
    expect(JSON.parse(back[0].input)).toEqual({ order: 7 });
    expect(back[0].states.Charge.attempts.map((a) => a.kind)).toEqual(["throw", "throw", "return"]);
    expect(back[0].states.Charge.attempts[2].seconds).toBe(30);
    expect(back[0].expect?.status).toBe("SUCCEEDED");
    expect(JSON.parse(back[0].expect?.output ?? "")).toEqual({ charged: true });
  });

  it("takes the file's only machine whatever its name, and refuses a missing one", () => {
    const file = { StateMachines: { Other: { TestCases: { A: { S: "R" } } } }, MockedResponses: { R: { "0": { Return: 1 } } } };
    expect(fromMockConfig(file, "mine")[0].states.S.attempts).toEqual([{ kind: "return", value: "1" }]);
    const two = { ...file, StateMachines: { ...file.StateMachines, Third: { TestCases: {} } } };
    expect(() => fromMockConfig(two, "mine")).toThrow(/no test cases for "mine" \(it has: Other, Third\)/);
  });
});

describe("taskStates", () => {
  it("lists Task states, nested in Parallel branches and Map processors too", () => {
    const doc = {
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: "x", Next: "P" },
        P: { Type: "Parallel", Branches: [{ StartAt: "B", States: { B: { Type: "Task", Resource: "x", End: true } } }], Next: "M" },
        M: { Type: "Map", ItemProcessor: { StartAt: "C", States: { C: { Type: "Task", Resource: "x", End: true } } }, End: true },
      },
    };
    expect(taskStates(doc as never)).toEqual(["A", "B", "C"]);
  });

  it("makes fresh case names", () => {
    expect(freshName([{ name: "Case 2", input: "", states: {} }])).toBe("Case 3");
  });
});
