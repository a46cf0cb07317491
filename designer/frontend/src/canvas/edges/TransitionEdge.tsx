// One edge component, styled per transition kind (next, choice, default,
// catch, start, end). Draws the layout's orthogonal route when there is one,
// a smooth-step path otherwise; while a palette item is dragged, shows a
// drop target in the middle so a state can be inserted on the edge.

import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import { EMPTY_EDGE } from "../../layout/elk";
import type { XY } from "../../store/store";
import type { FlowEdge } from "../derive";
import { useDragState } from "../dragState";

/** An orthogonal polyline with rounded corners, and its middle point for the label. */
export function routePath(points: XY[], radius = 8): { d: string; mid: XY } {
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i - 1];
    const c = points[i];
    const n = points[i + 1];
    const r = Math.min(radius, Math.hypot(c.x - p.x, c.y - p.y) / 2, Math.hypot(n.x - c.x, n.y - c.y) / 2);
    const a = { x: c.x - (Math.sign(c.x - p.x) * r), y: c.y - (Math.sign(c.y - p.y) * r) };
    const b = { x: c.x + (Math.sign(n.x - c.x) * r), y: c.y + (Math.sign(n.y - c.y) * r) };
    d += ` L ${a.x} ${a.y} Q ${c.x} ${c.y} ${b.x} ${b.y}`;
  }
  const last = points[points.length - 1];
  d += ` L ${last.x} ${last.y}`;
  // Label on the longest segment: it is the one with room for text.
  let best = 0;
  let mid = { x: (points[0].x + last.x) / 2, y: (points[0].y + last.y) / 2 };
  for (let i = 1; i < points.length; i++) {
    const len = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    if (len > best) {
      best = len;
      mid = { x: (points[i].x + points[i - 1].x) / 2, y: (points[i].y + points[i - 1].y) / 2 };
    }
  }
  return { d, mid };
}

function TransitionEdgeImpl(props: EdgeProps<FlowEdge>) {
  const { id, data, selected, markerEnd } = props;
  const edge = data!.edge;
  const dragging = useDragState((s) => s.item !== null);
  const over = useDragState((s) => s.overEdge === id);
  // Labels of edges inside a Parallel/Map would sit under the container's body: lift them.
  const labelZ = edge.source.includes("/") ? 10 + edge.source.split("/").length : undefined;
  let d: string;
  let mid: XY;
  if (data?.route && data.route.points.length >= 2) {
    ({ d, mid } = routePath(data.route.points));
    if (data.route.label) mid = data.route.label;
  } else {
    const [path, lx, ly] = getSmoothStepPath({ ...props, borderRadius: 8, offset: 20 });
    d = path;
    mid = { x: lx, y: ly };
  }
  if (id === EMPTY_EDGE) {
    // A machine with no states: the arrow carries a card that says what to do, and takes the drop.
    return (
      <>
        <BaseEdge id={id} path={d} markerEnd={markerEnd} className={`sd-edge sd-edge-start${over ? " drop-over" : ""}`} />
        <EdgeLabelRenderer>
          <div className={`sd-slot sd-slot-empty${over ? " over" : ""}${dragging ? " dragging" : ""}`} data-edge-drop={id} data-testid="empty-canvas" style={{ transform: `translate(-50%, -50%) translate(${mid.x}px, ${mid.y}px)` }}>
            Drag a state here
          </div>
        </EdgeLabelRenderer>
      </>
    );
  }
  return (
    <>
      <BaseEdge id={id} path={d} markerEnd={markerEnd} className={`sd-edge sd-edge-${edge.kind}${edge.open ? " open" : ""}${selected ? " selected" : ""}${over ? " drop-over" : ""}`} interactionWidth={18} />
      <path d={d} data-edge-id={id} className="sd-edge-hit" fill="none" stroke="transparent" strokeWidth={22} />
      <EdgeLabelRenderer>
        {edge.label && (
          <div className={`sd-edge-label sd-edge-label-${edge.kind}${selected ? " selected" : ""}`} style={{ transform: `translate(-50%, -50%) translate(${mid.x}px, ${mid.y}px)`, zIndex: labelZ }} data-edge-label={id}>
            {edge.label}
          </div>
        )}
        {dragging && !edge.open && (
          <div
            className={`sd-edge-drop${over ? " over" : ""}`}
            data-edge-drop={id}
            style={{ transform: `translate(-50%, -50%) translate(${mid.x}px, ${mid.y + (edge.label ? 24 : 0)}px)`, zIndex: (labelZ ?? 0) + 1 }}
          >
            +
          </div>
        )}
      </EdgeLabelRenderer>
    </>
  );
}

export const TransitionEdge = memo(TransitionEdgeImpl);
