// Handlers for the machine as a whole: its own fields, a branch's fields,
// replacing the whole document (code view, import, load) and Parallel branches.

import { applyChanges } from "../../asl/edit";
import { getState, setState, updateScope } from "../../asl/scopes";
import type { JsonObject, State, StateMachine } from "../../asl/types";
import type { Source } from "../../code/source";
import { docHandler, type DocContext } from "./docChange";

export interface UpdateMachineContext extends DocContext {
  changes: Record<string, unknown>;
}

export const updateMachineHandler = docHandler<UpdateMachineContext>((doc, ctx) => applyChanges(doc, ctx.changes));

export interface UpdateScopeFieldsContext extends DocContext {
  scope: string;
  changes: Record<string, unknown>;
}

export const updateScopeFieldsHandler = docHandler<UpdateScopeFieldsContext>((doc, ctx) =>
  updateScope(doc, ctx.scope, (s) => applyChanges(s, ctx.changes)),
);

export interface ReplaceDocumentContext extends DocContext {
  doc: StateMachine;
  /** The text `doc` was read from (import, code view, a saved machine): later edits are
   * written back into it (code/source.ts). Omitted: the document has no text of its own. */
  source?: Source | null;
  /** Imports start from a clean layout; code-view edits keep the user's positions. */
  resetPositions?: boolean;
  oldSource?: Source | null;
}

const replaceDoc = docHandler<ReplaceDocumentContext>((_doc, ctx) => ctx.doc, {
  positions: (p, ctx) => (ctx.resetPositions ? {} : p),
  // States that are still there stay selected (a code-view edit); the others are gone.
  select: (_ctx, doc, selected) => selected.filter((id) => getState(doc, id) !== null),
});

export const replaceDocumentHandler: typeof replaceDoc = {
  ...replaceDoc,
  execute(context, store) {
    context.oldSource = store.get().source;
    // The source first: subscribers of the document change read the text it is written in.
    store.set({ source: context.source ?? null });
    replaceDoc.execute(context, store);
  },
  revert(context, store) {
    store.set({ source: context.oldSource ?? null });
    replaceDoc.revert(context, store);
  },
};

export interface BranchContext extends DocContext {
  id: string;
  /** removeBranch: which branch. */
  index?: number;
}

export const addBranchHandler = docHandler<BranchContext>((doc, ctx) => {
  const state = getState(doc, ctx.id) as State;
  const branches = Array.isArray(state.Branches) ? state.Branches : [];
  return setState(doc, ctx.id, { ...state, Branches: [...branches, { StartAt: "", States: {} } as JsonObject] });
});

export const removeBranchHandler = docHandler<BranchContext>((doc, ctx) => {
  const state = getState(doc, ctx.id) as State;
  const branches = [...(state.Branches as JsonObject[])];
  branches.splice(ctx.index!, 1);
  return setState(doc, ctx.id, { ...state, Branches: branches });
});
