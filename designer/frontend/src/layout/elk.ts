// Automatic layout: graph → positions, top-down like the Step Functions
// console. Pure apart from the ELK instance handed in (the app runs ELK in a
// Web Worker, tests run the bundled one in-process).

import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Graph, GraphNode } from "../asl/graph";
import type { Box, XY } from "../store/store";
import { CONTAINER_HEADER, CONTAINER_PAD, EMPTY_SCOPE_H, EMPTY_SCOPE_W, MARKER_H, MARKER_W, SCOPE_PAD_TOP, SLOT_H, SLOT_W, STATE_H, STATE_W } from "./sizes";

const LABEL_H = 20;
/** Rough text width at 11px (the canvas label font); ELK only needs it to reserve room. */
export function labelWidth(text: string): number {
  return Math.min(220, Math.round(text.length * 6.4) + 14);
}

export interface Route {
  points: XY[];
  /** Centre of the edge's label, when it has one. */
  label?: XY;
}

export type RunLayout = (graph: ElkNode) => Promise<ElkNode>;

/** The edge of a machine without states: Start → End, where the first state is dropped. */
export const EMPTY_EDGE = "#start>end";
const EMPTY_CARD = "#empty-card";

const LAYERED = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "56",
  "elk.layered.spacing.edgeNodeBetweenLayers": "24",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
  "elk.layered.crossingMinimization.semiInteractive": "false",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.edgeLabels.placement": "CENTER",
  // One layering for the whole scope: a state not yet connected still sits between Start
  // and End instead of being packed beside the graph as its own component.
  "elk.separateConnectedComponents": "false",
  "elk.layered.edgeLabels.sideSelection": "SMART_DOWN",
};

/**
 * Network-simplex node placement and model-order crossing minimisation give the
 * tidiest drawings but grow super-linearly (a 300-state machine took ~20 s in
 * Chromium). Large scopes switch to linear-time strategies; small ones keep the
 * nicer ones, where they cost a few milliseconds.
 */
export const LARGE_SCOPE = 40;
const FAST = {
  "elk.layered.layering.strategy": "LONGEST_PATH_SOURCE",
  // States are listed in flow order: an edge back up the list is the loop to reverse.
  "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.nodePlacement.bk.fixedAlignment": "BALANCED",
  "elk.layered.considerModelOrder.strategy": "NONE",
  "elk.layered.thoroughness": "1",
  "elk.layered.crossingMinimization.greedySwitch.type": "OFF",
};

function scopeOptions(children: number): Record<string, string> {
  return children > LARGE_SCOPE ? { ...LAYERED, ...FAST } : LAYERED;
}

/** Build the ELK input: containers hold their scopes, scopes hold their states and edges. */
export function toElk(graph: Graph): ElkNode {
  const children = new Map<string | undefined, GraphNode[]>();
  // Model order matters (cycle breaking reverses edges that go back up the list): Start
  // first, then the states as written, End last.
  const ordered = [...graph.nodes.filter((n) => n.kind !== "end"), ...graph.nodes.filter((n) => n.kind === "end")];
  for (const node of ordered) {
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  // Edges live in the scope both ends share; dangling ones are not laid out. In a large
  // scope Catch edges are left out too: dozens of them running to one Fail state each take
  // a lane beside the flow, push it into a staircase and cost most of the layout time.
  // They are then drawn directly (smooth-step) over the laid-out flow.
  const scopeSize = new Map<string, number>();
  for (const n of graph.nodes) if (n.kind === "state") scopeSize.set(n.scope, (scopeSize.get(n.scope) ?? 0) + 1);
  const edgesOf = new Map<string, ElkExtendedEdge[]>();
  const scopeOfNode = new Map(graph.nodes.map((n) => [n.id, n.kind === "state" || n.kind === "start" || n.kind === "end" || n.kind === "slot" ? n.scope : null]));
  const linked = new Set<string>();
  for (const e of graph.edges) {
    if (e.dangling) continue;
    const scope = scopeOfNode.get(e.source);
    if (scope === null || scope === undefined || scopeOfNode.get(e.target) !== scope) continue;
    if (e.kind === "catch" && (scopeSize.get(scope) ?? 0) > LARGE_SCOPE) continue;
    linked.add(e.source);
    linked.add(e.target);
    // Labels are laid out too, so rule texts get room and do not sit on other edges
    // (not in large scopes, where they cost a third of the time; there labels sit on the route).
    const labels = e.label && (scopeSize.get(scope) ?? 0) <= LARGE_SCOPE ? [{ id: `${e.id}#label`, text: e.label, width: labelWidth(e.label), height: LABEL_H }] : undefined;
    const list = edgesOf.get(scope) ?? [];
    if (e.id === EMPTY_EDGE) {
      // An empty machine's Start → End carries the "Drag a state here" card: a stand-in node
      // of its size between them makes the room (the edge itself is drawn straight across it).
      list.push({ id: `${e.id}#a`, sources: [e.source], targets: [EMPTY_CARD] }, { id: `${e.id}#b`, sources: [EMPTY_CARD], targets: [e.target] });
      edgesOf.set(scope, list);
      continue;
    }
    list.push({ id: e.id, sources: [e.source], targets: [e.target], labels });
    edgesOf.set(scope, list);
  }

  const build = (node: GraphNode): ElkNode => {
    const kids = (children.get(node.id) ?? []).map(build);
    if (node.kind === "start" || node.kind === "end") {
      return {
        id: node.id,
        width: MARKER_W,
        height: MARKER_H,
        // Rows of their own: End never sits beside the last state (a Choice still being wired).
        layoutOptions: { "elk.layered.layering.layerConstraint": node.kind === "start" ? "FIRST_SEPARATE" : "LAST_SEPARATE" },
      };
    }
    if (node.kind === "slot") return { id: node.id, width: SLOT_W, height: SLOT_H };
    if (node.kind === "scope") {
      return {
        id: node.id,
        children: kids,
        edges: edgesOf.get(node.id) ?? [],
        layoutOptions: {
          ...scopeOptions(kids.length),
          "elk.padding": `[top=${SCOPE_PAD_TOP},left=${CONTAINER_PAD},bottom=${CONTAINER_PAD},right=${CONTAINER_PAD}]`,
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": `(${EMPTY_SCOPE_W}, ${EMPTY_SCOPE_H})`,
        },
      };
    }
    if (kids.length > 0) {
      // Parallel/Map: branches side by side under a header.
      return {
        id: node.id,
        children: kids,
        layoutOptions: {
          ...LAYERED,
          "elk.spacing.nodeNode": "24",
          "elk.padding": `[top=${CONTAINER_HEADER},left=${CONTAINER_PAD},bottom=${CONTAINER_PAD},right=${CONTAINER_PAD}]`,
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": `(${STATE_W}, ${STATE_H})`,
        },
      };
    }
    // A state not connected to anything (just dropped) goes to the bottom, beside End,
    // rather than to the top row beside Start. (A terminal one is linked to End already,
    // which puts it just above End; a LAST constraint on it would clash with End's own.)
    const isolated = node.kind === "state" && !linked.has(node.id);
    return { id: node.id, width: STATE_W, height: STATE_H, layoutOptions: isolated ? { "elk.layered.layering.layerConstraint": "LAST" } : undefined };
  };

  const rootChildren = (children.get(undefined) ?? []).map(build);
  if (graph.edges.some((e) => e.id === EMPTY_EDGE)) rootChildren.splice(1, 0, { id: EMPTY_CARD, width: SLOT_W, height: SLOT_H });
  return {
    id: "#root",
    layoutOptions: scopeOptions(rootChildren.length),
    children: rootChildren,
    edges: edgesOf.get("") ?? [],
  };
}

export interface LayoutResult {
  /** Node boxes relative to each node's container, as React Flow wants them. */
  positions: Record<string, Box>;
  /** Edge routes in absolute canvas coordinates (start, bends, end). */
  routes: Record<string, Route>;
}

export function fromElk(root: ElkNode): LayoutResult {
  const positions: Record<string, Box> = {};
  const routes: Record<string, Route> = {};
  const walk = (node: ElkNode, ox: number, oy: number) => {
    // ELK gives an edge's points relative to the node that declares it.
    for (const edge of (node.edges ?? []) as ElkExtendedEdge[]) {
      const s = edge.sections?.[0];
      if (!s) continue;
      const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: p.x + ox, y: p.y + oy }));
      const l = edge.labels?.[0];
      const label = l && l.x !== undefined ? { x: l.x + ox + (l.width ?? 0) / 2, y: (l.y ?? 0) + oy + (l.height ?? 0) / 2 } : undefined;
      routes[edge.id] = { points, label };
    }
    for (const child of node.children ?? []) {
      positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? STATE_W, height: child.height ?? STATE_H };
      walk(child, ox + (child.x ?? 0), oy + (child.y ?? 0));
    }
  };
  walk(root, 0, 0);
  return { positions, routes };
}

export async function layout(graph: Graph, run: RunLayout): Promise<LayoutResult> {
  return fromElk(await run(toElk(graph)));
}

/** What the layout depends on: nodes, nesting and edges, not field values. */
export function topologyKey(graph: Graph): string {
  const nodes = graph.nodes.map((n) => `${n.id}<${n.parentId ?? ""}`).join("|");
  const edges = graph.edges.map((e) => `${e.source}>${e.target}`).join("|");
  return `${nodes}#${edges}`;
}
