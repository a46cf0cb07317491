// Handlers that add, remove, rename and change states.

import { addState, deleteState, freshName, insertOnEdge, pasteStates, renameState, updateStateFields, usesJsonata } from "../../asl/edit";
import type { GraphEdge } from "../../asl/graph";
import { parseStateId, stateId } from "../../asl/ids";
import { getState } from "../../asl/scopes";
import { stateTemplate } from "../../asl/templates";
import type { State } from "../../asl/types";
import { canDrop, canInsertOnEdge } from "../../rules/rules";
import { docHandler, movePositions, type DocContext } from "./docChange";

export interface AddStateContext extends DocContext {
  scope: string;
  stateType: string;
  /** A full state to add instead of the type's template (task handlers, paste). */
  template?: State;
  name?: string;
  /** What the new name is derived from (e.g. a task handler's name); defaults to the type. */
  baseName?: string;
  /** Filled by execute: the id of the new state. */
  id?: string;
}

function prepareName(context: AddStateContext & { name?: string }, doc: Parameters<typeof freshName>[0]): string {
  // The name is fixed on first execute so redo recreates the very same state.
  if (!context.name) context.name = freshName(doc, context.baseName ?? context.stateType);
  return context.name;
}

export const addStateHandler = docHandler<AddStateContext>(
  (doc, ctx) => {
    if (!canDrop(doc, ctx.scope)) throw new Error(`cannot drop into ${ctx.scope}`);
    const name = prepareName(ctx, doc);
    ctx.id = stateId(ctx.scope, name);
    return addState(doc, ctx.scope, name, ctx.template ?? stateTemplate(ctx.stateType, usesJsonata(doc, null)));
  },
  { select: (ctx) => [ctx.id!] },
);

export interface InsertOnEdgeContext extends AddStateContext {
  edge: GraphEdge;
}

export const insertOnEdgeHandler = docHandler<InsertOnEdgeContext>(
  (doc, ctx) => {
    const type = ctx.template?.Type ?? ctx.stateType;
    if (!canInsertOnEdge(doc, ctx.edge, type)) throw new Error("cannot insert on this edge");
    const name = prepareName(ctx, doc);
    ctx.id = stateId(ctx.edge.kind === "start" ? "" : parseStateId(ctx.edge.source).scope, name);
    return insertOnEdge(doc, ctx.edge, name, ctx.template ?? stateTemplate(ctx.stateType, usesJsonata(doc, null)));
  },
  { select: (ctx) => [ctx.id!] },
);

export interface DeleteStateContext extends DocContext {
  id: string;
}

export const deleteStateHandler = docHandler<DeleteStateContext>((doc, ctx) => deleteState(doc, ctx.id), {
  positions: (p, ctx) => movePositions(p, ctx.id, null),
  select: () => [],
});

export interface RenameStateContext extends DocContext {
  id: string;
  newName: string;
  newId?: string;
}

export const renameStateHandler = docHandler<RenameStateContext>(
  (doc, ctx) => {
    const { scope } = parseStateId(ctx.id);
    ctx.newId = stateId(scope, ctx.newName);
    return renameState(doc, ctx.id, ctx.newName);
  },
  { positions: (p, ctx) => movePositions(p, ctx.id, ctx.newId!), select: (ctx) => [ctx.newId!] },
);

export interface UpdateFieldsContext extends DocContext {
  id: string;
  changes: Record<string, unknown>;
}

export const updateFieldsHandler = docHandler<UpdateFieldsContext>((doc, ctx) => {
  if (!getState(doc, ctx.id)) throw new Error(`no state ${ctx.id}`);
  return updateStateFields(doc, ctx.id, ctx.changes);
});

export interface PasteContext extends DocContext {
  scope: string;
  states: Record<string, State>;
  ids?: string[];
}

export const pasteHandler = docHandler<PasteContext>(
  (doc, ctx) => {
    const { doc: out, names } = pasteStates(doc, ctx.scope, ctx.states);
    ctx.ids = names.map((n) => stateId(ctx.scope, n));
    return out;
  },
  { select: (ctx) => ctx.ids! },
);
