// Parallel and Map states: drawn as containers holding their branches / item processor.

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowNode } from "../derive";
import { TYPE_COLORS, TypeIcon } from "./icons";
import { DiagnosticBadge, SourceHandles } from "./StateNode";
import { RunBadge } from "../../testing/RunBadge";
import { useNodeMark } from "../../testing/runOverlay";

function ContainerNodeImpl({ data, selected }: NodeProps<FlowNode>) {
  const { node, diagnostics } = data;
  const type = node.stateType ?? "Parallel";
  const mark = useNodeMark(node.id);
  return (
    <div
      className={`sd-container sd-container-${type}${selected ? " selected" : ""}${diagnostics.some((d) => d.severity === "error") ? " has-errors" : ""}`}
      data-state-name={node.name}
      data-run-status={mark?.status}
      data-state-type={type}
      style={{ ["--type-color" as string]: TYPE_COLORS[type] }}
    >
      <Handle type="target" position={Position.Top} className="sd-handle" />
      <div className="sd-container-header">
        <span className="sd-node-icon">
          <TypeIcon type={type} size={16} />
        </span>
        <span className="sd-node-name">{node.name}</span>
        <span className="sd-container-kind">{type === "Map" ? "Map · item processor" : "Parallel"}</span>
        <DiagnosticBadge count={diagnostics.length} messages={diagnostics.map((d) => d.message)} warning={!diagnostics.some((d) => d.severity === "error")} />
        {mark && <RunBadge mark={mark} />}
      </div>
      <SourceHandles type={type} />
    </div>
  );
}

export const ContainerNode = memo(ContainerNodeImpl);

function ScopeNodeImpl({ id, data }: NodeProps<FlowNode>) {
  const { node } = data;
  const label = node.slot?.key === "Branches" ? `Branch ${node.slot.index + 1}` : "Processor";
  const empty = !(typeof node.fields.StartAt === "string" && node.fields.StartAt);
  return (
    <div className="sd-scope" data-scope-id={id}>
      <span className="sd-scope-label">{label}</span>
      {empty && <span className="sd-scope-hint">Drop a state here</span>}
    </div>
  );
}

export const ScopeNode = memo(ScopeNodeImpl);

function MarkerNodeImpl({ data }: NodeProps<FlowNode>) {
  const start = data.node.kind === "start";
  return (
    <div className={`sd-marker ${start ? "sd-marker-start" : "sd-marker-end"}`} data-marker={start ? "start" : "end"}>
      {!start && <Handle type="target" position={Position.Top} className="sd-handle sd-handle-hidden" isConnectable={false} />}
      {start ? "Start" : "End"}
      {start && <Handle type="source" position={Position.Bottom} className="sd-handle sd-handle-hidden" isConnectable={false} />}
    </div>
  );
}

export const MarkerNode = memo(MarkerNodeImpl);

