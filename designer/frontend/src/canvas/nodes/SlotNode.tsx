// The open end of a Choice rule: a dashed card where the rule's first state is dropped
// (palette drags insert on its edge). Clicking it opens the rule in the inspector.

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { useServices } from "../../app/context";
import { inspectorFocus } from "../../inspector/focus";
import { useDragState } from "../dragState";
import type { FlowNode } from "../derive";

function SlotNodeImpl({ data }: NodeProps<FlowNode>) {
  const { store } = useServices();
  const edge = data.edge;
  const over = useDragState((s) => !!edge && s.overEdge === edge.id);
  const dragging = useDragState((s) => s.item !== null);
  if (!edge) return null;
  const open = () => {
    store.set({ selection: { nodes: [edge.source], edges: [] } });
    inspectorFocus.request(edge.source, ["Choices", String(edge.index), "Next"]);
  };
  return (
    <div className={`sd-slot${over ? " over" : ""}${dragging ? " dragging" : ""}`} data-edge-drop={edge.id} data-slot={data.node.id} onClick={open} title="Drop a state here, or click to choose where the rule goes">
      <Handle type="target" position={Position.Top} className="sd-handle sd-handle-hidden" isConnectable={false} />
      Drop a state here
    </div>
  );
}

export const SlotNode = memo(SlotNodeImpl);
