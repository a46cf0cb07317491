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
  /** Alt+C: centre the selection, or the whole machine when nothing is selected. */
  centre(nodeIds: string[]) {
    if (!instance) return;
    if (nodeIds.length === 0) return viewport.fit();
    void instance.fitView({ nodes: nodeIds.map((id) => ({ id })), padding: 0.6, duration: 200, maxZoom: 1.1 });
  },
};
