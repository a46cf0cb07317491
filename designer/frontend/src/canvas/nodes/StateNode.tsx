// A state on the canvas. Text is rendered by React (escaped), never as HTML.

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { outgoingKinds } from "../../rules/rules";
import type { FlowNode } from "../derive";
import { bodyText } from "./bodies";
import { TYPE_COLORS, TypeIcon } from "./icons";
import { RunBadge } from "../../testing/RunBadge";
import { useNodeMark } from "../../testing/runOverlay";

export function DiagnosticBadge({ count, messages, warning }: { count: number; messages: string[]; warning?: boolean }) {
  if (count === 0) return null;
  return (
    <span className={`sd-badge${warning ? " warning" : ""}`} title={messages.join("\n")} data-testid="node-diagnostics" data-severity={warning ? "warning" : "error"}>
      {count}
    </span>
  );
}

export function SourceHandles({ type }: { type: string }) {
  const kinds = outgoingKinds(type);
  return (
    <>
      <Handle type="source" id="end" position={Position.Bottom} className="sd-handle sd-handle-hidden" isConnectable={false} />
      {kinds.includes("next") && <Handle type="source" id="next" position={Position.Bottom} className="sd-handle" />}
      {kinds.includes("choice") && <Handle type="source" id="choice" position={Position.Bottom} className="sd-handle" title="Drag to add a rule" />}
      {kinds.includes("default") && (
        <Handle type="source" id="default" position={Position.Right} className="sd-handle sd-handle-default" title="Drag to set the Default" />
      )}
      {kinds.includes("catch") && <Handle type="source" id="catch" position={Position.Right} className="sd-handle sd-handle-catch" title="Drag to add a Catch" />}
    </>
  );
}

function StateNodeImpl({ data, selected }: NodeProps<FlowNode>) {
  const { node, diagnostics } = data;
  const type = node.stateType ?? "?";
  const errors = diagnostics.filter((d) => d.severity === "error");
  const mark = useNodeMark(node.id);
  return (
    <div
      className={`sd-node sd-node-${type}${selected ? " selected" : ""}${errors.length ? " has-errors" : ""}`}
      data-state-name={node.name}
      data-run-status={mark?.status}
      data-state-type={type}
      style={{ ["--type-color" as string]: TYPE_COLORS[type] ?? "#5f6b7a" }}
    >
      <Handle type="target" position={Position.Top} className="sd-handle" />
      <span className="sd-node-icon">
        <TypeIcon type={type} />
      </span>
      <span className="sd-node-text">
        <span className="sd-node-name">{node.name}</span>
        <span className="sd-node-sub" title={type === "Task" && typeof node.fields.Resource === "string" ? node.fields.Resource : undefined}>
          {bodyText(type, node.fields)}
        </span>
      </span>
      <DiagnosticBadge count={diagnostics.length} messages={diagnostics.map((d) => d.message)} warning={errors.length === 0} />
      {mark && <RunBadge mark={mark} />}
      <SourceHandles type={type} />
    </div>
  );
}

export const StateNode = memo(StateNodeImpl);
