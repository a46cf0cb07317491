// Hooks the forms use to turn field edits into commands.

import { useServices } from "../app/context";
import { locate } from "../validation/locate";
import type { Diagnostic } from "../store/store";
import { useStore } from "../store/useStore";

export function useStateEdit(id: string) {
  const { run } = useServices();
  return (changes: Record<string, unknown>) => run("updateFields", { id, changes });
}

/** Diagnostics of one node (null: the machine), keyed by the first field name in their pointer. */
export function useNodeDiagnostics(nodeId: string | null): { all: Diagnostic[]; of: (field: string) => Diagnostic[] } {
  const { store } = useServices();
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const mine = diagnostics.map((d) => ({ d, at: locate(d.location) })).filter((x) => x.at.nodeId === nodeId);
  return {
    all: mine.map((x) => x.d),
    of: (field) => mine.filter((x) => x.at.field[0] === field).map((x) => x.d),
  };
}
