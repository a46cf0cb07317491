// A handle on the React Flow instance for the parts of the app outside the
// canvas (toolbar, keyboard, export, embed API, Problems panel): fit, centre,
// show a node, and a fit requested for when the next layout lands (after a
// load or an import).

import type { ReactFlowInstance } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./derive";

let instance: ReactFlowInstance<FlowNode, FlowEdge> | null = null;
let paneEl: HTMLElement | null = null;
let fitPending = true;

/** Below this zoom a state's name (13 px) is too small to read: Fit never goes lower. */
export const READABLE_ZOOM = 0.7;
const FIT_PADDING = 0.15;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The viewport Fit picks: the whole graph when it fits at a readable zoom; else a readable
 * zoom on a region — centred on the selection when there is one, else the top of the
 * graph (where Start is), centred across when the graph is narrow enough.
 */
export function fitViewport(bounds: Box, pane: { width: number; height: number }, focus: Box | null, maxZoom = 1.1): { x: number; y: number; zoom: number } {
  const whole = Math.min(pane.width / (bounds.width * (1 + 2 * FIT_PADDING)), pane.height / (bounds.height * (1 + 2 * FIT_PADDING)), maxZoom);
  if (whole >= READABLE_ZOOM) {
    return { zoom: whole, x: pane.width / 2 - (bounds.x + bounds.width / 2) * whole, y: pane.height / 2 - (bounds.y + bounds.height / 2) * whole };
  }
  const zoom = READABLE_ZOOM;
  if (focus) {
    return { zoom, x: pane.width / 2 - (focus.x + focus.width / 2) * zoom, y: pane.height / 2 - (focus.y + focus.height / 2) * zoom };
  }
  const cx = bounds.width * zoom <= pane.width ? bounds.x + bounds.width / 2 : bounds.x + pane.width / zoom / 2 - 24;
  return { zoom, x: pane.width / 2 - cx * zoom, y: 24 - bounds.y * zoom };
}

export const viewport = {
  attach(rf: ReactFlowInstance<FlowNode, FlowEdge> | null) {
    instance = rf;
  },
  attachPane(el: HTMLElement | null) {
    paneEl = el;
  },
  get instance() {
    return instance;
  },
  requestFit() {
    fitPending = true;
  },
  hasFitRequest(): boolean {
    return fitPending;
  },
  /** Called by the canvas after a layout landed. */
  takeFitRequest(): boolean {
    const was = fitPending;
    fitPending = false;
    return was;
  },
  /** Fit button: animated. After a load or an import the canvas jumps (duration 0): nothing to follow yet. */
  fit(duration = 200) {
    if (!instance) return;
    const nodes = instance.getNodes();
    if (!nodes.length || !paneEl || !paneEl.clientWidth) {
      void instance.fitView({ padding: FIT_PADDING, duration, maxZoom: 1.1, minZoom: READABLE_ZOOM });
      return;
    }
    const selected = nodes.filter((n) => n.selected);
    const focus = selected.length ? instance.getNodesBounds(selected) : null;
    const v = fitViewport(instance.getNodesBounds(nodes), { width: paneEl.clientWidth, height: paneEl.clientHeight }, focus);
    void instance.setViewport(v, { duration });
  },
  /**
   * Fit to a layout that is about to be drawn, from its boxes, before React Flow renders it:
   * a big machine then mounts the nodes of the region it will show, once. False when the
   * canvas is not ready (the fit then happens after the drawing, as before).
   */
  fitLayout(positions: Record<string, Box>): boolean {
    if (!instance || !paneEl || !paneEl.clientWidth) return false;
    // Top-level boxes (children are relative to their container and lie inside it).
    const boxes = Object.entries(positions).filter(([id]) => !id.includes("/")).map(([, b]) => b);
    if (!boxes.length) return false;
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    const bounds = { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
    void instance.setViewport(fitViewport(bounds, { width: paneEl.clientWidth, height: paneEl.clientHeight }, null), { duration: 0 });
    return true;
  },
  /** Bring a node on screen at a readable zoom (the Problems panel's "go to"). */
  show(nodeId: string) {
    const n = instance?.getInternalNode(nodeId);
    if (!instance || !n || !paneEl) return;
    const { x: tx, y: ty, zoom } = instance.getViewport();
    const p = n.internals.positionAbsolute;
    const w = n.measured.width ?? n.width ?? 0;
    const h = n.measured.height ?? n.height ?? 0;
    const left = p.x * zoom + tx;
    const top = p.y * zoom + ty;
    const visible = left >= 0 && top >= 0 && left + w * zoom <= paneEl.clientWidth && top + h * zoom <= paneEl.clientHeight;
    if (visible && zoom >= READABLE_ZOOM) return;
    void instance.setCenter(p.x + w / 2, p.y + h / 2, { zoom: Math.max(zoom, READABLE_ZOOM), duration: 200 });
  },
  /** Pan (keeping the zoom) so the given nodes are on screen, e.g. a state just added below the fold. */
  reveal(nodeIds: string[], pane: HTMLElement | null) {
    if (!instance || !pane || nodeIds.length === 0) return;
    const { x: tx, y: ty, zoom } = instance.getViewport();
    const w = pane.clientWidth;
    const h = pane.clientHeight;
    for (const id of nodeIds) {
      const n = instance.getInternalNode(id);
      if (!n) continue;
      const p = n.internals.positionAbsolute;
      const nw = n.measured.width ?? n.width ?? 0;
      const nh = n.measured.height ?? n.height ?? 0;
      const left = p.x * zoom + tx;
      const top = p.y * zoom + ty;
      if (left < 0 || top < 0 || left + nw * zoom > w || top + nh * zoom > h) {
        void instance.setCenter(p.x + nw / 2, p.y + nh / 2, { zoom, duration: 200 });
        return;
      }
    }
  },
  /**
   * After an edit: when the graph no longer fits the pane, zoom out to fit it (never in,
   * never below 50%); when it is too big for that, pan to the selection instead.
   */
  keepInView(selection: string[], pane: HTMLElement | null) {
    if (!instance || !pane) return;
    const nodes = instance.getNodes();
    if (nodes.length === 0) return;
    const b = instance.getNodesBounds(nodes);
    const { x: tx, y: ty, zoom } = instance.getViewport();
    const w = pane.clientWidth;
    const h = pane.clientHeight;
    const inside = b.x * zoom + tx >= 0 && b.y * zoom + ty >= 0 && (b.x + b.width) * zoom + tx <= w && (b.y + b.height) * zoom + ty <= h;
    if (inside) return;
    const fitZoom = Math.min(w / (b.width * 1.15), h / (b.height * 1.15));
    if (fitZoom >= 0.5) void instance.fitView({ padding: 0.08, maxZoom: Math.min(1, zoom), duration: 200 });
    else viewport.reveal(selection, pane);
  },
  /** Alt+C: centre the selection, or the whole machine when nothing is selected. */
  centre(nodeIds: string[]) {
    if (!instance) return;
    if (nodeIds.length === 0) return viewport.fit();
    void instance.fitView({ nodes: nodeIds.map((id) => ({ id })), padding: 0.6, duration: 200, maxZoom: 1.1 });
  },
};
