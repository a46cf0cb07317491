// Most handlers change the document by a pure function of (document, context).
// They keep the document before the change in the context: revert restores it,
// redo recomputes it from the same inputs. Documents are immutable, so the
// saved one shares structure with the current one and costs little.

import type { StateMachine } from "../../asl/types";
import type { Store, XY } from "../../store/store";
import type { CommandHandler } from "../CommandStack";

export interface DocContext {
  oldDoc?: StateMachine;
  oldPositions?: Record<string, XY>;
  oldSelection?: { nodes: string[]; edges: string[] };
}

export function docHandler<C extends DocContext>(
  change: (doc: StateMachine, context: C, store: Store) => StateMachine,
  extra: Partial<Pick<CommandHandler<C>, "preExecute" | "postExecute">> & {
    /** Selection after the change, when the edit should select something (or keep only some of it). */
    select?: (context: C, doc: StateMachine, selected: string[]) => string[];
    /** Positions after the change (renamed or removed nodes). */
    positions?: (positions: Record<string, XY>, context: C) => Record<string, XY>;
  } = {},
): CommandHandler<C> {
  return {
    ...extra,
    execute(context, store) {
      const state = store.get();
      context.oldDoc = state.doc;
      context.oldPositions = state.manualPositions;
      context.oldSelection = state.selection;
      const doc = change(state.doc, context, store);
      const patch: Parameters<Store["set"]>[0] = { doc };
      if (extra.positions) patch.manualPositions = extra.positions(state.manualPositions, context);
      if (extra.select) patch.selection = { nodes: extra.select(context, doc, state.selection.nodes), edges: [] };
      store.set(patch);
    },
    revert(context, store) {
      store.set({ doc: context.oldDoc!, manualPositions: context.oldPositions!, selection: context.oldSelection! });
    },
  };
}

/** Positions of a node and everything nested in it, dropped or moved to a new id. */
export function movePositions(positions: Record<string, XY>, oldId: string, newId: string | null): Record<string, XY> {
  const out: Record<string, XY> = {};
  for (const [id, p] of Object.entries(positions)) {
    if (id === oldId || id.startsWith(`${oldId}/`)) {
      if (newId !== null) out[newId + id.slice(oldId.length)] = p;
    } else out[id] = p;
  }
  return out;
}
