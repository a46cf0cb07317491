// A handle on the React Flow instance for the parts of the app outside the
// canvas (toolbar, keyboard, export, embed API): fit, centre, and a fit
// requested for when the next layout lands (after a load or an import).

import type { ReactFlowInstance } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./derive";

let instance: ReactFlowInstance<FlowNode, FlowEdge> | null = null;
let fitPending = true;

export const viewport = {
  attach(rf: ReactFlowInstance<FlowNode, FlowEdge> | null) {
    instance = rf;
  },
  get instance() {
    return instance;
  },
  requestFit() {
    fitPending = true;
  },
  /** Called by the canvas after a layout landed. */
  takeFitRequest(): boolean {
    const was = fitPending;
    fitPending = false;
    return was;
  },
  fit() {
    void instance?.fitView({ padding: 0.15, duration: 200, maxZoom: 1.1 });
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
