// Unsaved work: the document differs from the one last loaded or saved (store.baseline),
// or the Definition tab holds text that does not parse yet (text a person typed, which
// leaving would lose). Documents are immutable and undo restores the very objects it
// replaced, so undoing back to the saved state is clean again by identity; a code-view
// edit that retypes the same definition is clean by value.

import { jsonEqual } from "../asl/types";
import type { DesignerState, Store } from "../store/store";

let lastDoc: unknown = null;
let lastBaseline: unknown = null;
let lastDirty = false;

export function isDirty(state: Pick<DesignerState, "doc" | "baseline" | "codeError"> & Partial<Pick<DesignerState, "exampleInput" | "savedExampleInput">>): boolean {
  if (state.codeError) return true;
  // The example input is saved with the machine, apart from the definition.
  if (state.exampleInput !== state.savedExampleInput && JSON.stringify(state.exampleInput) !== JSON.stringify(state.savedExampleInput)) return true;
  if (state.doc === state.baseline) return false;
  // Asked on every store change (selection, drags): compare by value once per pair.
  if (state.doc !== lastDoc || state.baseline !== lastBaseline) {
    lastDoc = state.doc;
    lastBaseline = state.baseline;
    lastDirty = !jsonEqual(state.doc, state.baseline);
  }
  return lastDirty;
}

/** The document now in the editor (or the one just sent) is what the server holds. */
export function markSaved(store: Store, doc = store.get().doc): void {
  store.set({ baseline: doc });
}
