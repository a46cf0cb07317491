import { describe, expect, it } from "vitest";
import { fromGraph } from "./fromGraph";
import { toGraph } from "./toGraph";
import type { StateMachine } from "./types";

const poller: StateMachine = {
  StartAt: "CreateTask",
  States: {
    CreateTask: { Type: "Task", Resource: "arn:aws:lambda:::function:${CreateFn}", Next: "Wait", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }] },
    Wait: { Type: "Wait", Seconds: 5, Next: "Check" },
    Check: {
      Type: "Choice",
      Choices: [{ Variable: "$.status", StringEquals: "DONE", Next: "Done" }],
      Default: "Wait",
    },
    Done: { Type: "Succeed" },
    Failed: { Type: "Fail", Error: "Boom" },
  },
};

describe("toGraph", () => {
  it("draws Next, choice rules, Default and Catch as typed edges", () => {
    const g = toGraph(poller);
    const kinds = g.edges.map((e) => `${e.source}-${e.kind}->${e.target}`).sort();
    expect(kinds).toEqual(
      [
        "#start-start->CreateTask",
        "Check-choice->Done",
        "Check-default->Wait",
        "CreateTask-catch->Failed",
        "CreateTask-next->Wait",
        "Done-end->#end",
        "Failed-end->#end",
        "Wait-next->Check",
      ].sort(),
    );
    expect(g.edges.find((e) => e.kind === "choice")?.label).toBe('#1 $.status == "DONE"');
  });

  it("puts Parallel branches and the Map processor in scope containers", () => {
    const doc: StateMachine = {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }], Next: "M" },
        M: { Type: "Map", ItemProcessor: { StartAt: "B", States: { B: { Type: "Pass", End: true } } }, End: true },
      },
    };
    const g = toGraph(doc);
    const a = g.nodes.find((n) => n.name === "A")!;
    expect(a.parentId).toBe("P/#b0");
    expect(g.nodes.find((n) => n.id === "P/#b0")?.parentId).toBe("P");
    expect(g.nodes.find((n) => n.name === "B")?.parentId).toBe("M/#p");
    expect(JSON.stringify(fromGraph(g))).toBe(JSON.stringify(doc));
  });

  it("keeps a Next to a missing state as a dangling edge", () => {
    const doc: StateMachine = { StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } };
    const g = toGraph(doc);
    expect(g.edges.find((e) => e.kind === "next")?.dangling).toBe(true);
    expect(fromGraph(g)).toEqual(doc);
  });

  it("writes transitions from edges: removing an edge removes the Next", () => {
    const g = toGraph(poller);
    g.edges = g.edges.filter((e) => e.id !== "CreateTask>next");
    expect(fromGraph(g).States.CreateTask.Next).toBeUndefined();
  });
});
