// Hooks the forms use to turn field edits into commands, and to find their diagnostics.

import { useServices } from "../app/context";
import { locate } from "../validation/locate";
import { isEmptyMachine } from "../validation/problems";
import type { Diagnostic } from "../store/store";
import { useStore } from "../store/useStore";

export function useStateEdit(id: string) {
  const { run } = useServices();
  return (changes: Record<string, unknown>) => run("updateFields", { id, changes });
}

/**
 * Diagnostics of one node (null: the machine); `of("Next")` or `of("Choices.0.Next")` gives
 * those at that field or inside it. A machine with no states yet has none to show.
 */
export function useNodeDiagnostics(nodeId: string | null): { all: Diagnostic[]; of: (field: string) => Diagnostic[] } {
  const { store } = useServices();
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const empty = useStore(store, (s) => isEmptyMachine(s.doc));
  const mine = empty ? [] : diagnostics.map((d) => ({ d, at: locate(d.field || d.location) })).filter((x) => x.at.nodeId === nodeId);
  return {
    all: mine.map((x) => x.d),
    of: (field) => {
      const path = field.split(".");
      return mine.filter((x) => path.every((p, i) => x.at.field[i] === p)).map((x) => x.d);
    },
  };
}
