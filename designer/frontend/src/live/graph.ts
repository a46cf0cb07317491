// The execution's graph, coloured by state status. The graph and its layout come from the
// designer's modules (asl/toGraph, layout/elk in a worker), read-only: the live view draws
// the same picture the designer does, from the definition snapshot the execution ran with.
// Drawn as plain SVG (no React): it only needs colours and badges updated per batch.

import type { Graph, GraphNode } from "../asl/graph";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import { layout, type Route, type RunLayout } from "../layout/elk";
import { createWorkerRunner } from "../layout/runner";
import type { Box } from "../store/store";
import { clear, s } from "./dom";
import type { ExecutionModel } from "./model";
import { PanZoom } from "./panzoom";

export const STATUS_LABEL: Record<string, string> = {
  "not-reached": "Not reached", "in-progress": "In progress", succeeded: "Succeeded",
  failed: "Failed", caught: "Caught error", aborted: "Aborted",
};

interface Drawn {
  group: SVGElement;
  badge: SVGElement;
  progress?: { bar: SVGElement; label: SVGElement; width: number };
}

function absolute(graph: Graph, boxes: Record<string, Box>): Record<string, Box> {
  const out: Record<string, Box> = {};
  for (const node of graph.nodes) {
    const box = boxes[node.id];
    if (!box) continue;
    const parent = node.parentId ? out[node.parentId] : undefined;
    out[node.id] = { x: box.x + (parent?.x ?? 0), y: box.y + (parent?.y ?? 0), width: box.width, height: box.height };
  }
  return out;
}

function pathOf(route: Route): string {
  return route.points.map((p, i) => `${i ? "L" : "M"}${p.x} ${p.y}`).join(" ");
}

export class GraphView {
  readonly graph: Graph;
  private drawn = new Map<string, Drawn>();
  private selected: string | null = null;
  private boxes: Record<string, Box> = {};
  private extent: Box = { x: 0, y: 0, width: 0, height: 0 };
  panzoom: PanZoom | null = null;

  constructor(private root: HTMLElement, definition: StateMachine, private onSelect: (node: string) => void) {
    this.graph = toGraph(definition);
  }

  nodeIds(): Set<string> {
    return new Set(this.graph.nodes.map((n) => n.id));
  }

  /** How many branches a Parallel node has (the model resolves branch events by name). */
  branchCount(node: string): number {
    return this.graph.nodes.filter((n) => n.kind === "scope" && n.parentId === node).length;
  }

  node(id: string): GraphNode | undefined {
    return this.graph.nodes.find((n) => n.id === id);
  }

  /** `runner`: where ELK runs (a worker; the embeddable graph runs it in the page). */
  async draw(runner: RunLayout = createWorkerRunner()): Promise<void> {
    const { positions, routes } = await layout(this.graph, runner);
    const abs = absolute(this.graph, positions);
    this.boxes = abs;
    const boxes = Object.values(abs);
    const maxX = Math.max(0, ...boxes.map((b) => b.x + b.width));
    const maxY = Math.max(0, ...boxes.map((b) => b.y + b.height));
    this.extent = { x: 0, y: 0, width: maxX, height: maxY };
    // The SVG fills the pane; the layer inside it is moved and scaled (panzoom.ts).
    const svg = s("svg", { class: "graph-svg", width: "100%", height: "100%", role: "img", "aria-label": "Execution graph" });
    svg.append(s("defs", {}, s("marker", { id: "live-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, s("path", { d: "M0 0L10 5L0 10z", class: "arrow-head" }))));
    // Containers first so states and edges inside them are drawn on top.
    const order = [...this.graph.nodes].sort((a, b) => depth(this.graph, a) - depth(this.graph, b));
    const edgeLayer = s("g", { class: "edges" });
    const nodeLayer = s("g", { class: "nodes" });
    for (const node of order) {
      const b = abs[node.id];
      if (b) nodeLayer.append(this.drawNode(node, b));
    }
    for (const edge of this.graph.edges) {
      const route = routes[edge.id];
      if (!route || route.points.length < 2) continue;
      const g = s("g", { class: `edge edge-${edge.kind}` }, s("path", { d: pathOf(route), "marker-end": "url(#live-arrow)" }));
      if (edge.label && route.label) g.append(s("text", { x: route.label.x, y: route.label.y + 4, "text-anchor": "middle", class: "edge-label" }, truncate(edge.label, 34)));
      edgeLayer.append(g);
    }
    const layer = s("g", { class: "pz-layer" }, nodeLayer, edgeLayer) as SVGGElement;
    svg.append(layer);
    clear(this.root);
    this.root.append(svg);
    this.root.tabIndex = 0;
    this.root.setAttribute("aria-busy", "false");
    this.panzoom = new PanZoom(this.root, layer, () => this.extent, () => this.focusBox());
    this.panzoom.fit();
  }

  /** What Centre aims at: a state in progress, else the selected one. */
  private focusBox(): Box | null {
    const running = [...this.drawn].find(([, d]) => d.group.getAttribute("data-status") === "in-progress" && !d.group.classList.contains("container"));
    const id = running?.[0] ?? this.selected;
    return id ? this.boxes[id] ?? null : null;
  }

  private drawNode(node: GraphNode, b: Box): SVGElement {
    if (node.kind === "scope") {
      return s("rect", { x: b.x, y: b.y, width: b.width, height: b.height, rx: 6, class: "scope" });
    }
    if (node.kind === "start" || node.kind === "end") {
      return s("g", { class: "marker" }, s("rect", { x: b.x, y: b.y, width: b.width, height: b.height, rx: b.height / 2 }),
        s("text", { x: b.x + b.width / 2, y: b.y + b.height / 2 + 4, "text-anchor": "middle" }, node.kind === "start" ? "Start" : "End"));
    }
    const container = node.stateType === "Parallel" || node.stateType === "Map";
    const headerH = container ? 40 : b.height;
    const group = s("g", {
      class: `state${container ? " container" : ""}`, "data-node-id": node.id, "data-state-name": node.name ?? "",
      "data-status": "not-reached", tabindex: 0, role: "button", "aria-label": `${node.name ?? ""} (${node.stateType ?? ""})`,
      onclick: () => this.onSelect(node.id),
      onkeydown: ((e: KeyboardEvent) => { if (e.key === "Enter" || e.key === " ") this.onSelect(node.id); }) as EventListener,
    });
    group.append(
      s("rect", { x: b.x, y: b.y, width: b.width, height: b.height, rx: 6, class: "box" }),
      s("rect", { x: b.x, y: b.y, width: 5, height: headerH, rx: 2, class: "stripe" }),
      s("text", { x: b.x + 14, y: b.y + 21, class: "name" }, truncate(node.name ?? "", container ? 40 : 24)),
      s("text", { x: b.x + 14, y: b.y + 37, class: "type" }, node.stateType ?? ""),
    );
    const badge = s("text", { x: b.x + b.width - 8, y: b.y + 37, "text-anchor": "end", class: "badge" });
    group.append(badge);
    const drawn: Drawn = { group, badge };
    if (node.stateType === "Map") {
      // Items progress in the container's header, right of the name.
      const width = Math.max(50, Math.min(180, b.width - 110));
      const x = b.x + b.width - width - 10;
      const bar = s("g", { class: "progress", transform: `translate(${x} ${b.y + 14})` });
      const label = s("text", { x: b.x + b.width - 10, y: b.y + 35, "text-anchor": "end", class: "progress-label" });
      group.append(bar, label);
      drawn.progress = { bar, label, width };
      badge.setAttribute("y", String(b.y + 20));
      badge.setAttribute("x", String(x - 8));
    }
    this.drawn.set(node.id, drawn);
    return group;
  }

  /** Re-colour every state from the model (cheap: attributes and a few texts). */
  update(model: ExecutionModel): void {
    for (const [id, d] of this.drawn) {
      const status = model.nodeStatus(id);
      if (d.group.getAttribute("data-status") !== status) d.group.setAttribute("data-status", status);
      const retries = model.retries(id);
      const visits = model.visitCount(id);
      const parts = [];
      if (retries) parts.push(`↻ ${retries} ${retries === 1 ? "retry" : "retries"}`);
      if (visits > 1) parts.push(`×${visits}`);
      const text = parts.join("  ");
      if (d.badge.textContent !== text) d.badge.textContent = text;
      const title = `${STATUS_LABEL[status]}${text ? ` · ${text}` : ""}`;
      d.group.setAttribute("data-title", title);
      const p = model.maps.get(id);
      if (d.progress && p) this.drawProgress(d.progress, p);
    }
  }

  private drawProgress(view: NonNullable<Drawn["progress"]>, p: { total: number; succeeded: number; failed: number; running: number; aborted: number }): void {
    clear(view.bar);
    const total = Math.max(1, p.total);
    let x = 0;
    view.bar.append(s("rect", { width: view.width, height: 6, rx: 3, class: "track" }));
    for (const [count, cls] of [[p.succeeded, "succeeded"], [p.failed, "failed"], [p.aborted, "aborted"], [p.running, "running"]] as const) {
      const w = (view.width * count) / total;
      if (w > 0) view.bar.append(s("rect", { x, width: w, height: 6, class: `seg ${cls}` }));
      x += w;
    }
    view.label.textContent = `${p.succeeded + p.failed + p.aborted} of ${p.total} items${p.failed ? ` · ${p.failed} failed` : ""}${p.aborted ? ` · ${p.aborted} aborted` : ""}${p.running ? ` · ${p.running} running` : ""}`;
    view.bar.parentElement?.setAttribute("data-map-progress", `${p.succeeded}/${p.failed}/${p.running}/${p.total}`);
    view.bar.parentElement?.setAttribute("data-map-aborted", String(p.aborted));
  }

  select(node: string | null): void {
    if (this.selected) this.drawn.get(this.selected)?.group.classList.remove("selected");
    this.selected = node;
    if (node) this.drawn.get(node)?.group.classList.add("selected");
  }
}

function depth(graph: Graph, node: GraphNode): number {
  let d = 0;
  let parent = node.parentId;
  while (parent) {
    d++;
    parent = graph.nodes.find((n) => n.id === parent)?.parentId;
  }
  return d;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

