// Graph → ASL document. Transitions are written from the edges (so an edge
// drawn on the canvas is the only truth about a Next); every other field
// comes back from the node exactly as it was, in the same key order.

import type { Graph, GraphEdge } from "./graph";
import { isObject, type Json, type JsonObject, type StateMachine } from "./types";

function applyTransitions(state: JsonObject, out: GraphEdge[]): JsonObject {
  const byKind = (kind: GraphEdge["kind"]) => out.filter((e) => e.kind === kind);
  const next = byKind("next")[0];
  if (next) state.Next = next.targetName ?? "";
  else delete state.Next;
  const def = byKind("default")[0];
  if (def) state.Default = def.targetName ?? "";
  else delete state.Default;

  const indexed = (key: "Choices" | "Catch", kind: "choice" | "catch") => {
    const list = state[key];
    if (!Array.isArray(list)) return;
    state[key] = list.map((item, index) => {
      if (!isObject(item)) return item;
      const edge = byKind(kind).find((e) => e.index === index);
      const copy: JsonObject = { ...item };
      // An open rule that had no Next at all stays without one.
      if (edge && !(edge.open && edge.targetName === undefined)) copy.Next = edge.targetName ?? "";
      else delete copy.Next;
      return copy;
    });
  };
  indexed("Choices", "choice");
  indexed("Catch", "catch");
  return state;
}

export function fromGraph(graph: Graph): StateMachine {
  const machine: JsonObject = { ...graph.machine };
  if (!graph.hasStates) return machine as StateMachine;
  const edgesBySource = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    if (e.kind === "start" || e.kind === "end") continue;
    const list = edgesBySource.get(e.source) ?? [];
    list.push(e);
    edgesBySource.set(e.source, list);
  }

  // Every scope's States object, filled in node order (= the original key order).
  const statesOf = new Map<string, JsonObject>([["", {}]]);
  machine.States = statesOf.get("")!;
  const stateObjects = new Map<string, JsonObject>();
  for (const node of graph.nodes) {
    if (node.kind === "scope") statesOf.set(node.id, {});
  }
  for (const node of graph.nodes) {
    if (node.kind !== "state") continue;
    const state = applyTransitions({ ...node.fields }, edgesBySource.get(node.id) ?? []);
    if (node.fields.Type === null && Object.keys(node.fields).length === 1) {
      // The original was not an object at all; nothing better to give back.
      statesOf.get(node.scope)![node.name!] = null as unknown as Json as JsonObject;
      continue;
    }
    statesOf.get(node.scope)![node.name!] = state;
    stateObjects.set(node.id, state);
  }
  for (const node of graph.nodes) {
    if (node.kind !== "scope" || !node.slot || !node.parentId) continue;
    const owner = stateObjects.get(node.parentId);
    if (!owner) continue;
    const scope: JsonObject = { ...node.fields, States: statesOf.get(node.id)! };
    if (node.slot.key === "Branches") {
      const branches = Array.isArray(owner.Branches) ? [...owner.Branches] : [];
      branches[node.slot.index] = scope;
      owner.Branches = branches;
    } else {
      owner[node.slot.key] = scope;
    }
  }
  return machine as StateMachine;
}
