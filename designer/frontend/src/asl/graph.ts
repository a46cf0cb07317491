// The graph projection of an ASL document: what the canvas draws and what
// fromGraph turns back into ASL. Transition fields (Next, Default,
// Choices[i].Next, Catch[i].Next) live on edges; every other field stays
// on its node untouched.

import type { JsonObject } from "./types";

/** slot: the open end of a Choice rule that has no target yet (a drop target on the canvas). */
export type NodeKind = "state" | "scope" | "start" | "end" | "slot";
export type EdgeKind = "next" | "choice" | "default" | "catch" | "start" | "end";

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** Scope the node lives in ("" for the machine). */
  scope: string;
  /** Container node id (a scope node for states in a branch, the owner state for a scope node). */
  parentId?: string;
  name?: string;
  stateType?: string;
  /**
   * state: the state's fields, with nested Branches/ItemProcessor replaced by null
   * placeholders (kept so key order survives). scope: the branch/processor
   * fields with States as a null placeholder.
   */
  fields: JsonObject;
  /** scope nodes: where the scope sits in its owner. */
  slot?: { key: "Branches" | "ItemProcessor" | "Iterator"; index: number };
}

export interface GraphEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  /** For choice/catch: index into Choices/Catch. */
  index?: number;
  /** The target state's name as written in ASL, even when no such state exists. */
  targetName?: string;
  dangling?: boolean;
  /** A Choice rule with no target yet ("Next": "" or no Next): it ends at a slot node. */
  open?: boolean;
  label?: string;
}

export interface Graph {
  /** Machine-level fields, States replaced by a null placeholder. */
  machine: JsonObject;
  /** False when the document has no States object at all (then nothing is drawn). */
  hasStates: boolean;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
