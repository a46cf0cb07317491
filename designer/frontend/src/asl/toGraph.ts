// ASL document → graph. Pure; fromGraph(toGraph(doc)) is JSON-equal to doc
// for every definition, valid or not (round-trip tested on the conformance
// corpus), so the canvas can never silently drop a field.

import { catchEdgeLabel, choiceEdgeLabel } from "./choiceLabel";
import type { Graph, GraphEdge, GraphNode } from "./graph";
import { ROOT_SCOPE, branchScopeId, endId, processorScopeId, slotId, startId, stateId } from "./ids";
import { isObject, mapProcessorKey, type JsonObject, type State, type StateMachine, type StatesScope } from "./types";

export function isScopeObject(value: unknown): value is StatesScope {
  return isObject(value) && isObject(value.States);
}

/** Nested scopes of a state, as the graph draws them (Parallel branches, Map processor). */
export function nestedScopes(state: State): { key: "Branches" | "ItemProcessor" | "Iterator"; index: number; scope: StatesScope }[] {
  if (state.Type === "Parallel" && Array.isArray(state.Branches) && state.Branches.every(isScopeObject)) {
    return state.Branches.map((scope, index) => ({ key: "Branches" as const, index, scope: scope as StatesScope }));
  }
  if (state.Type === "Map") {
    const key = mapProcessorKey(state);
    if (key && isScopeObject(state[key])) return [{ key, index: 0, scope: state[key] as StatesScope }];
  }
  return [];
}

function withoutStates(scope: JsonObject): JsonObject {
  return { ...scope, States: null };
}

export function isTerminal(state: State): boolean {
  return state.End === true || state.Type === "Succeed" || state.Type === "Fail";
}

export function toGraph(doc: StateMachine): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const hasStates = isObject(doc.States);

  if (hasStates) {
    nodes.push({ id: startId(ROOT_SCOPE), kind: "start", scope: ROOT_SCOPE, fields: {} });
    nodes.push({ id: endId(ROOT_SCOPE), kind: "end", scope: ROOT_SCOPE, fields: {} });
  }

  const walk = (scope: StatesScope, scopeId: string, parentId: string | undefined) => {
    const names = new Set(Object.keys(scope.States));
    const edge = (e: Omit<GraphEdge, "target" | "dangling">) => {
      const name = e.targetName ?? "";
      const dangling = !names.has(name);
      edges.push({ ...e, target: dangling ? `${scopeId}/#missing/${encodeURIComponent(name)}` : stateId(scopeId, name), dangling });
    };
    for (const [name, state] of Object.entries(scope.States)) {
      const id = stateId(scopeId, name);
      const children = isObject(state) ? nestedScopes(state) : [];
      const fields: JsonObject = isObject(state) ? { ...state } : { Type: null };
      for (const child of children) fields[child.key] = null;
      nodes.push({ id, kind: "state", scope: scopeId, parentId, name, stateType: String(fields.Type), fields });
      if (!isObject(state)) continue;

      for (const child of children) {
        const sid = child.key === "Branches" ? branchScopeId(id, child.index) : processorScopeId(id);
        nodes.push({ id: sid, kind: "scope", scope: scopeId, parentId: id, fields: withoutStates(child.scope), slot: { key: child.key, index: child.index } });
        walk(child.scope, sid, sid);
      }
      if (typeof state.Next === "string") edge({ id: `${id}>next`, kind: "next", source: id, targetName: state.Next });
      if (Array.isArray(state.Choices)) {
        state.Choices.forEach((rule, index) => {
          if (!isObject(rule)) return;
          if (rule.Next === undefined || rule.Next === "") {
            // A rule still to be wired: its edge ends at an open slot the user drops a state on.
            const slot = slotId(id, index);
            nodes.push({ id: slot, kind: "slot", scope: scopeId, parentId, fields: {} });
            edges.push({ id: `${id}>choice${index}`, kind: "choice", source: id, target: slot, index, targetName: rule.Next as string | undefined, open: true, label: choiceEdgeLabel(rule, index) });
          } else if (typeof rule.Next === "string") {
            edge({ id: `${id}>choice${index}`, kind: "choice", source: id, index, targetName: rule.Next, label: choiceEdgeLabel(rule, index) });
          }
        });
      }
      if (typeof state.Default === "string") edge({ id: `${id}>default`, kind: "default", source: id, targetName: state.Default, label: "Default" });
      if (Array.isArray(state.Catch)) {
        state.Catch.forEach((catcher, index) => {
          if (isObject(catcher) && typeof catcher.Next === "string") {
            edge({ id: `${id}>catch${index}`, kind: "catch", source: id, index, targetName: catcher.Next, label: catchEdgeLabel(catcher) });
          }
        });
      }
      if (scopeId === ROOT_SCOPE && isTerminal(state)) {
        edges.push({ id: `${id}>end`, kind: "end", source: id, target: endId(ROOT_SCOPE) });
      }
    }
  };

  if (hasStates) {
    walk(doc, ROOT_SCOPE, undefined);
    const start = typeof doc.StartAt === "string" ? doc.StartAt : "";
    if (start in doc.States) {
      edges.push({ id: "#start>start", kind: "start", source: startId(ROOT_SCOPE), target: stateId(ROOT_SCOPE, start), targetName: start });
    } else if (Object.keys(doc.States).length === 0) {
      // An empty machine still shows Start → End, the edge new states are dropped on.
      edges.push({ id: "#start>end", kind: "start", source: startId(ROOT_SCOPE), target: endId(ROOT_SCOPE) });
    }
  }
  return { machine: hasStates ? withoutStates(doc) : { ...doc }, hasStates, nodes, edges };
}
