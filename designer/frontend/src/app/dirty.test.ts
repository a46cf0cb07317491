import { describe, expect, it } from "vitest";
import type { StateMachine } from "../asl/types";
import { createCommandStack } from "../commands";
import { Store, initialState } from "../store/store";
import { isDirty, markSaved } from "./dirty";

const saved: StateMachine = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };

function setup() {
  const store = new Store(initialState(saved));
  return { store, stack: createCommandStack(store) };
}

describe("unsaved work", () => {
  it("is clean when opened, dirty after an edit, clean again after Save", () => {
    const { store, stack } = setup();
    expect(isDirty(store.get())).toBe(false);
    stack.execute("updateFields", { id: "A", changes: { Comment: "hi" } });
    expect(isDirty(store.get())).toBe(true);
    markSaved(store);
    expect(isDirty(store.get())).toBe(false);
  });

  it("is clean again when undo comes back to the saved document", () => {
    const { store, stack } = setup();
    stack.execute("addState", { scope: "", stateType: "Wait" });
    stack.execute("updateFields", { id: "A", changes: { Comment: "x" } });
    expect(isDirty(store.get())).toBe(true);
    stack.undo();
    expect(isDirty(store.get())).toBe(true);
    stack.undo();
    expect(isDirty(store.get())).toBe(false);
    stack.redo();
    expect(isDirty(store.get())).toBe(true);
  });

  it("compares by value: the same definition typed again is not a change", () => {
    const { store, stack } = setup();
    stack.execute("replaceDocument", { doc: JSON.parse(JSON.stringify(saved)) });
    expect(store.get().doc).not.toBe(saved);
    expect(isDirty(store.get())).toBe(false);
  });

  it("counts text in the Definition tab that does not parse yet", () => {
    const { store } = setup();
    store.set({ codeError: { message: "Expected a value", line: 3, column: 7, offset: 40 } });
    expect(isDirty(store.get())).toBe(true);
  });

  it("does not count moving nodes or selecting them", () => {
    const { store, stack } = setup();
    stack.execute("moveNodes", { positions: { A: { x: 10, y: 10 } } });
    store.set({ selection: { nodes: ["A"], edges: [] } });
    expect(isDirty(store.get())).toBe(false);
  });
});
