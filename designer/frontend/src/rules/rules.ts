// ASL editing rules, shared by the canvas (what it offers) and the commands
// (what they accept). One place decides what may connect, drop or delete.

import type { GraphEdge } from "../asl/graph";
import { parseStateId } from "../asl/ids";
import { getScope, getState } from "../asl/scopes";
import { canCatch, hasOwnTransition } from "../asl/templates";
import type { StateMachine } from "../asl/types";
import type { ConnectKind } from "../asl/edit";

export function isStateId(doc: StateMachine, id: string): boolean {
  return getState(doc, id) !== null;
}

/** Which kinds of transition may leave a state. */
export function outgoingKinds(type: string): ConnectKind[] {
  if (type === "Choice") return ["choice", "default"];
  if (!hasOwnTransition(type)) return [];
  return canCatch(type) ? ["next", "catch"] : ["next"];
}

export function canConnect(doc: StateMachine, sourceId: string, targetId: string, kind: ConnectKind): boolean {
  const source = getState(doc, sourceId);
  const target = getState(doc, targetId);
  if (!source || !target) return false;
  // Transitions never cross a Parallel branch or Map processor boundary.
  if (parseStateId(sourceId).scope !== parseStateId(targetId).scope) return false;
  if (!outgoingKinds(source.Type).includes(kind)) return false;
  // A Next to itself is legal ASL but almost always a slip of the mouse; loops go through Wait/Choice.
  return !(kind === "next" && sourceId === targetId);
}

/** A state may be dropped into any existing scope. */
export function canDrop(doc: StateMachine, scope: string): boolean {
  return getScope(doc, scope) !== null;
}

export function canInsertOnEdge(doc: StateMachine, edge: GraphEdge, type: string): boolean {
  if (edge.dangling) return false;
  if (edge.kind === "end") {
    const source = getState(doc, edge.source);
    // Only a state that ends by End: true can be followed by a new state.
    if (!source || !hasOwnTransition(source.Type)) return false;
  }
  // A new Succeed/Fail cannot continue the edge's old target, but may end an End edge or
  // a Choice rule's open end; a new Choice continues it through its Default.
  if (type === "Choice") return true;
  if (!hasOwnTransition(type)) return edge.kind === "end" || edge.target.endsWith("#end") || edge.open === true;
  return true;
}

export function canDeleteEdge(edge: GraphEdge): boolean {
  return edge.kind !== "start" && edge.kind !== "end";
}

export function canDeleteNode(doc: StateMachine, id: string): boolean {
  return isStateId(doc, id);
}
