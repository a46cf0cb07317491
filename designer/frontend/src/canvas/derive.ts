// Store → React Flow nodes and edges. The canvas is a projection of the
// document: this is the only place that shapes what React Flow draws, and it
// is pure so the projection is testable without a browser.

import type { Edge, Node } from "@xyflow/react";
import type { Graph, GraphEdge, GraphNode } from "../asl/graph";
import { MARKER_H, MARKER_W, SLOT_H, SLOT_W, STATE_H, STATE_W } from "../layout/sizes";
import type { Route } from "../layout/elk";
import type { DesignerState, Diagnostic } from "../store/store";
import { diagnosticsByNode } from "../validation/locate";

export interface NodeData extends Record<string, unknown> {
  node: GraphNode;
  diagnostics: Diagnostic[];
  isStart: boolean;
  /** slot nodes: the open Choice rule edge they end. */
  edge?: GraphEdge;
}

export interface EdgeData extends Record<string, unknown> {
  edge: GraphEdge;
  /** The layout's route while both ends are where the layout put them. */
  route?: Route;
}

export type FlowNode = Node<NodeData>;
export type FlowEdge = Edge<EdgeData>;

function rfType(node: GraphNode): string {
  if (node.kind === "start" || node.kind === "end") return "marker";
  if (node.kind === "slot") return "slot";
  if (node.kind === "scope") return "scope";
  if (node.stateType === "Parallel" || node.stateType === "Map") return "container";
  return "state";
}

export function deriveFlow(graph: Graph, view: Pick<DesignerState, "layout" | "routes" | "manualPositions" | "dragPositions" | "selection" | "diagnostics" | "doc">): {
  nodes: FlowNode[];
  edges: FlowEdge[];
} {
  const byNode = diagnosticsByNode(view.diagnostics);
  const openEdges = new Map(graph.edges.filter((e) => e.open).map((e) => [e.target, e]));
  const selected = new Set(view.selection.nodes);
  const moved = new Set<string>();
  const nodes: FlowNode[] = graph.nodes.map((node, i) => {
    const box = view.layout[node.id];
    const manual = view.dragPositions[node.id] ?? view.manualPositions[node.id];
    if (manual) moved.add(node.id);
    const marker = node.kind === "start" || node.kind === "end";
    const width = box?.width ?? (marker ? MARKER_W : node.kind === "slot" ? SLOT_W : STATE_W);
    const height = box?.height ?? (marker ? MARKER_H : node.kind === "slot" ? SLOT_H : STATE_H);
    return {
      id: node.id,
      type: rfType(node),
      // Until the first layout lands, stack new nodes so nothing overlaps exactly.
      position: manual ?? (box ? { x: box.x, y: box.y } : { x: 40, y: 40 + i * 12 }),
      parentId: node.parentId,
      width,
      height,
      selected: selected.has(node.id),
      selectable: node.kind === "state",
      draggable: node.kind === "state",
      connectable: node.kind === "state",
      zIndex: node.kind === "scope" ? 0 : undefined,
      data: { node, diagnostics: byNode.get(node.id) ?? [], isStart: node.scope === "" && view.doc.StartAt === node.name, edge: node.kind === "slot" ? openEdges.get(node.id) : undefined },
    };
  });
  // A node moved by hand makes the layout's routes of its edges (and its children's) stale.
  const stale = (id: string) => [...moved].some((m) => id === m || id.startsWith(`${m}/`));
  const selectedEdges = new Set(view.selection.edges);
  const edges: FlowEdge[] = graph.edges
    .filter((e) => !e.dangling)
    .map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      // End edges leave from a hidden handle: Succeed/Fail have no "next" handle to drag from.
      sourceHandle: edge.kind === "choice" || edge.kind === "default" || edge.kind === "catch" ? edge.kind : edge.kind === "start" ? null : edge.kind === "end" ? "end" : "next",
      type: edge.kind,
      selected: selectedEdges.has(edge.id),
      selectable: edge.kind !== "start" && edge.kind !== "end",
      reconnectable: edge.kind === "start" || edge.kind === "end" ? false : "target",
      // Root edges stay under the nodes (so they never catch a click meant for a state);
      // edges inside a branch must rise above their container to be seen.
      zIndex: edge.source.includes("/") ? edge.source.split("/").length : 0,
      data: { edge, route: stale(edge.source) || stale(edge.target) ? undefined : view.routes[edge.id] },
    }));
  return { nodes, edges };
}

// -- keeping unchanged nodes the same objects ------------------------------------------------
// React Flow re-renders a node when its object changes. deriveFlow builds new objects on
// every call; the projector hands back the previous object of every node and edge whose
// drawing did not change, so selecting a state, a diagnostic landing or a field edit
// re-renders a few nodes of a 300-state machine, not all of them.

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

function sameGraphNode(a: GraphNode, b: GraphNode): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.kind === b.kind &&
      a.scope === b.scope &&
      a.parentId === b.parentId &&
      a.name === b.name &&
      a.stateType === b.stateType &&
      a.slot?.key === b.slot?.key &&
      a.slot?.index === b.slot?.index &&
      // States are immutable and a graph node's fields are a shallow copy of its state.
      shallowEqual(a.fields, b.fields))
  );
}

function sameGraphEdge(a: GraphEdge | undefined, b: GraphEdge | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.id === b.id && a.kind === b.kind && a.source === b.source && a.target === b.target && a.index === b.index && a.targetName === b.targetName && a.dangling === b.dangling && a.open === b.open && a.label === b.label;
}

function sameDiagnostics(a: Diagnostic[], b: Diagnostic[]): boolean {
  return a === b || (a.length === b.length && a.every((d, i) => d.code === b[i].code && d.severity === b[i].severity && d.message === b[i].message && d.location === b[i].location && d.explanation === b[i].explanation));
}

function sameNode(a: FlowNode, b: FlowNode): boolean {
  return (
    a.type === b.type &&
    a.parentId === b.parentId &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    a.selected === b.selected &&
    a.zIndex === b.zIndex &&
    a.data.isStart === b.data.isStart &&
    sameGraphEdge(a.data.edge, b.data.edge) &&
    sameGraphNode(a.data.node, b.data.node) &&
    sameDiagnostics(a.data.diagnostics, b.data.diagnostics)
  );
}

function sameEdge(a: FlowEdge, b: FlowEdge): boolean {
  return (
    a.source === b.source &&
    a.target === b.target &&
    a.sourceHandle === b.sourceHandle &&
    a.type === b.type &&
    a.selected === b.selected &&
    a.zIndex === b.zIndex &&
    a.data!.route === b.data!.route &&
    sameGraphEdge(a.data!.edge, b.data!.edge)
  );
}

export type Projector = (graph: Graph, view: Parameters<typeof deriveFlow>[1]) => ReturnType<typeof deriveFlow>;

/** The previous list itself when every item is the same object: React Flow then skips it whole. */
function keep<T extends { id: string }>(previous: T[], fresh: T[], same: (a: T, b: T) => boolean): T[] {
  const byId = new Map(previous.map((x) => [x.id, x]));
  let changed = previous.length !== fresh.length;
  const out = fresh.map((x, i) => {
    const old = byId.get(x.id);
    const item = old && same(old, x) ? old : x;
    if (item !== previous[i]) changed = true;
    return item;
  });
  return changed ? out : previous;
}

export function createProjector(): Projector {
  let last: ReturnType<typeof deriveFlow> = { nodes: [], edges: [] };
  return (graph, view) => {
    const fresh = deriveFlow(graph, view);
    last = { nodes: keep(last.nodes, fresh.nodes, sameNode), edges: keep(last.edges, fresh.edges, sameEdge) };
    return last;
  };
}
