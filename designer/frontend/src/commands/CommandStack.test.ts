import { describe, expect, it } from "vitest";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import { Store, initialState } from "../store/store";
import { createCommandStack } from "./index";

function setup(doc: StateMachine = { StartAt: "", States: {} }) {
  const store = new Store(initialState(doc));
  return { store, stack: createCommandStack(store) };
}

const twoStates: StateMachine = {
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } },
};

describe("CommandStack", () => {
  describe("#execute", () => {
    it("adds the first state as StartAt and selects it", () => {
      const { store, stack } = setup();
      stack.execute("addState", { scope: "", stateType: "Task" });
      expect(store.get().doc).toEqual({ StartAt: "Task", States: { Task: { Type: "Task", Resource: "", End: true } } });
      expect(store.get().selection.nodes).toEqual(["Task"]);
    });

    it("rejects an edit the rules forbid and leaves the document alone", () => {
      const { store, stack } = setup(twoStates);
      expect(() => stack.execute("connect", { source: "A", target: "A", kind: "next" })).toThrow();
      expect(store.get().doc).toBe(twoStates);
    });
  });

  describe("#undo", () => {
    it("should undo command", () => {
      const { store, stack } = setup(twoStates);
      stack.execute("updateFields", { id: "A", changes: { Comment: "hi" } });
      expect(store.get().doc.States.A.Comment).toBe("hi");
      stack.undo();
      expect(store.get().doc).toBe(twoStates);
    });

    it("undoes a composite action in one step", () => {
      const { store, stack } = setup(twoStates);
      const edge = toGraph(twoStates).edges.find((e) => e.kind === "next")!;
      stack.execute("deleteSelection", { nodes: ["B"], edges: [edge] });
      expect(Object.keys(store.get().doc.States)).toEqual(["A"]);
      expect(store.get().doc.States.A).toEqual({ Type: "Pass", End: true });
      stack.undo();
      expect(store.get().doc).toEqual(twoStates);
      expect(stack.canUndo()).toBe(false);
    });
  });

  describe("#redo", () => {
    it("should redo command to the same result", () => {
      const { store, stack } = setup();
      stack.execute("addState", { scope: "", stateType: "Pass" });
      stack.execute("addState", { scope: "", stateType: "Pass" });
      const after = store.get().doc;
      stack.undo();
      stack.undo();
      expect(store.get().doc.States).toEqual({});
      stack.redo();
      stack.redo();
      expect(store.get().doc).toEqual(after);
      expect(Object.keys(after.States)).toEqual(["Pass", "Pass 2"]);
    });

    it("drops the redo stack when a new command runs", () => {
      const { stack } = setup(twoStates);
      stack.execute("updateFields", { id: "A", changes: { Comment: "x" } });
      stack.undo();
      stack.execute("updateFields", { id: "B", changes: { Comment: "y" } });
      expect(stack.canRedo()).toBe(false);
    });
  });
});

describe("edits", () => {
  it("deleting a state reconnects its predecessor to its successor", () => {
    const doc: StateMachine = {
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "C" }, C: { Type: "Succeed" } },
    };
    const { store, stack } = setup(doc);
    stack.execute("deleteState", { id: "B" });
    expect(store.get().doc.States.A.Next).toBe("C");
  });

  it("renaming a state rewrites every reference to it", () => {
    const doc: StateMachine = {
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 1, Next: "C" },
        C: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "W" }], Default: "W" },
      },
    };
    const { store, stack } = setup(doc);
    stack.execute("renameState", { id: "W", newName: "Pause" });
    const out = store.get().doc;
    expect(out.StartAt).toBe("Pause");
    expect(Object.keys(out.States)).toEqual(["Pause", "C"]);
    expect(out.States.C).toEqual({ Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "Pause" }], Default: "Pause" });
  });

  it("inserting on an edge splices the new state in", () => {
    const { store, stack } = setup(twoStates);
    const edge = toGraph(twoStates).edges.find((e) => e.kind === "next")!;
    stack.execute("insertOnEdge", { edge, scope: "", stateType: "Wait" });
    expect(store.get().doc.States.A.Next).toBe("Wait");
    expect(store.get().doc.States.Wait).toEqual({ Type: "Wait", Seconds: 5, Next: "B" });
  });

  it("inserting on the Start → End edge of an empty machine makes the first state", () => {
    const empty: StateMachine = { StartAt: "", States: {} };
    const { store, stack } = setup(empty);
    const edge = toGraph(empty).edges[0];
    stack.execute("insertOnEdge", { edge, scope: "", stateType: "Pass" });
    expect(store.get().doc).toEqual({ StartAt: "Pass", States: { Pass: { Type: "Pass", End: true } } });
  });

  it("connecting from a Choice adds a rule; from its default handle sets Default", () => {
    const doc: StateMachine = { StartAt: "C", States: { C: { Type: "Choice", Choices: [] }, D: { Type: "Succeed" } } };
    const { store, stack } = setup(doc);
    stack.execute("connect", { source: "C", target: "D", kind: "choice" });
    stack.execute("connect", { source: "C", target: "D", kind: "default" });
    expect(store.get().doc.States.C).toEqual({
      Type: "Choice",
      Choices: [{ Variable: "$.value", StringEquals: "", Next: "D" }],
      Default: "D",
    });
  });

  it("pasting keeps transitions among copies and renames them", () => {
    const { store, stack } = setup(twoStates);
    stack.execute("paste", { scope: "", states: { A: twoStates.States.A, B: twoStates.States.B } });
    const out = store.get().doc.States;
    expect(out["A 2"]).toEqual({ Type: "Pass", Next: "B 2" });
    expect(store.get().selection.nodes).toEqual(["A 2", "B 2"]);
  });

  it("adds a state inside a Parallel branch", () => {
    const doc: StateMachine = { StartAt: "P", States: { P: { Type: "Parallel", Branches: [{ StartAt: "", States: {} }], End: true } } };
    const { store, stack } = setup(doc);
    stack.execute("addState", { scope: "P/#b0", stateType: "Pass" });
    expect(store.get().doc.States.P.Branches).toEqual([{ StartAt: "Pass", States: { Pass: { Type: "Pass", End: true } } }]);
  });
});
