// What the palette drops: a Choice with one open rule and a Default that keeps the old
// downstream; a state dropped on an open rule continues where the Default goes; "Add rule"
// and deletions never point a rule at some other state by themselves.

import { describe, expect, it } from "vitest";
import { connect } from "../asl/edit";
import { fromGraph } from "../asl/fromGraph";
import { toGraph } from "../asl/toGraph";
import type { State, StateMachine } from "../asl/types";
import { Store, initialState } from "../store/store";
import { createCommandStack } from "./index";

function setup(doc: StateMachine) {
  const store = new Store(initialState(doc));
  return { store, stack: createCommandStack(store) };
}

const edge = (doc: StateMachine, id: string) => toGraph(doc).edges.find((e) => e.id === id)!;

const greet: State = {
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: "greet", "Payload.$": "$" },
  OutputPath: "$.Payload",
};

describe("a Choice dropped on an arrow", () => {
  const chain: StateMachine = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" } } };

  it("keeps the old downstream as its Default and opens one rule", () => {
    const { store, stack } = setup(chain);
    stack.execute("insertOnEdge", { stateType: "Choice", scope: "", edge: edge(chain, "A>next") });
    const doc = store.get().doc;
    expect(doc.States.A.Next).toBe("Choice");
    expect(doc.States.Choice).toEqual({ Type: "Choice", Choices: [{ Variable: "$.value", StringEquals: "", Next: "" }], Default: "B" });
    stack.undo();
    expect(store.get().doc).toBe(chain);
  });

  it("draws the open rule as an edge to a slot, and the slot round-trips", () => {
    const doc: StateMachine = { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "" }, { Variable: "$.y", IsPresent: true }], Default: "D" }, D: { Type: "Succeed" } } };
    const g = toGraph(doc);
    const open = g.edges.filter((e) => e.open);
    expect(open.map((e) => [e.id, e.target])).toEqual([
      ["C>choice0", "C/#open0"],
      ["C>choice1", "C/#open1"],
    ]);
    expect(g.nodes.filter((n) => n.kind === "slot").map((n) => n.id)).toEqual(["C/#open0", "C/#open1"]);
    expect(JSON.stringify(fromGraph(g))).toBe(JSON.stringify(doc));
  });

  it("uses a JSONata condition in a JSONata machine", () => {
    const doc: StateMachine = { QueryLanguage: "JSONata", StartAt: "A", States: { A: { Type: "Pass", End: true } } };
    const { store, stack } = setup(doc);
    stack.execute("insertOnEdge", { stateType: "Choice", scope: "", edge: edge(doc, "A>end") });
    expect(store.get().doc.States.Choice.Choices).toEqual([{ Condition: "{% true %}", Next: "" }]);
    expect(store.get().doc.States.Choice.Default).toBeUndefined();
  });
});

describe("a state dropped on a rule's open end", () => {
  it("becomes the rule's target and continues where the Default goes", () => {
    const doc: StateMachine = {
      StartAt: "greet",
      States: { greet: { ...greet, Next: "Choice" }, Choice: { Type: "Choice", Choices: [{ Variable: "$.greeting", IsPresent: true, Next: "" }], Default: "Done" }, Done: { Type: "Succeed" } },
    };
    const { store, stack } = setup(doc);
    stack.execute("insertOnEdge", { stateType: "Pass", scope: "", edge: edge(doc, "Choice>choice0") });
    const out = store.get().doc;
    expect(out.States.Choice.Choices).toEqual([{ Variable: "$.greeting", IsPresent: true, Next: "Pass" }]);
    expect(out.States.Pass).toEqual({ Type: "Pass", Next: "Done" });
  });

  it("ends when the Choice has no Default; a Succeed may go there too", () => {
    const doc: StateMachine = { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "" }] } } };
    const { store, stack } = setup(doc);
    stack.execute("insertOnEdge", { stateType: "Succeed", scope: "", edge: edge(doc, "C>choice0") });
    expect(store.get().doc.States.C.Choices).toEqual([{ Variable: "$.x", IsPresent: true, Next: "Succeed" }]);
    expect(store.get().doc.States.Succeed).toEqual({ Type: "Succeed" });
  });
});

describe("rule targets are never guessed", () => {
  it("dragging a rule's handle fills the first open rule before adding one", () => {
    const doc: StateMachine = { StartAt: "Up", States: { Up: { Type: "Pass", Next: "C" }, C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "a", Next: "" }] }, X: { Type: "Succeed" } } };
    const once = connect(doc, "C", "X", "choice");
    expect(once.States.C.Choices).toEqual([{ Variable: "$.x", StringEquals: "a", Next: "X" }]);
    const twice = connect(once, "C", "Up", "choice");
    expect(twice.States.C.Choices).toHaveLength(2);
  });

  it("deleting a rule's target leaves the rule open, its condition kept", () => {
    const doc: StateMachine = { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "a", Next: "X" }], Default: "D" }, X: { Type: "Succeed" }, D: { Type: "Succeed" } } };
    const { store, stack } = setup(doc);
    stack.execute("deleteState", { id: "X" });
    expect(store.get().doc.States.C.Choices).toEqual([{ Variable: "$.x", StringEquals: "a", Next: "" }]);
  });
});
