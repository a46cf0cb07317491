// React Flow wiring. The canvas owns no data: it draws deriveFlow(store)
// and turns user gestures into commands (connect, reconnect, move).

import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { toGraph } from "../asl/toGraph";
import { topologyKey } from "../layout/elk";
import type { ConnectKind } from "../asl/edit";
import { useServices } from "../app/context";
import { canConnect } from "../rules/rules";
import { useStore } from "../store/useStore";
import type { XY } from "../store/store";
import { createProjector, type FlowEdge, type FlowNode } from "./derive";
import { edgeTypes } from "./edges";
import { nodeTypes } from "./nodes";
import { TYPE_COLORS } from "./nodes/icons";
import { viewport } from "./viewport";

/** Above this many nodes the canvas mounts only the visible ones. */
export const BIG_GRAPH = 150;

const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: "#687078" } };

export function Canvas() {
  const { store, run } = useServices();
  const state = useStore(store, (s) => s);
  const graph = useMemo(() => toGraph(state.doc), [state.doc]);
  const shape = useMemo(() => topologyKey(graph), [graph]);
  const project = useMemo(createProjector, []);
  // A big new shape (an import) is drawn once, when its layout lands: drawing (or even
  // projecting) hundreds of nodes at placeholder positions first would only cost time.
  // Small edits draw at once.
  const pendingBigShape = graph.nodes.length > 60 && shape !== state.layoutKey;
  const derived = useMemo(
    () => (pendingBigShape ? null : project(graph, state)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pendingBigShape, graph, state.layout, state.routes, state.manualPositions, state.dragPositions, state.selection, state.diagnostics, state.doc],
  );
  const shown = useRef(derived ?? { nodes: [], edges: [] });
  if (derived) shown.current = derived;
  const flow = shown.current;

  const pane = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.layoutVersion < 0) return;
    // Wait a frame: React Flow needs the new nodes in its store first.
    if (viewport.takeFitRequest()) requestAnimationFrame(() => viewport.fit(0));
    else requestAnimationFrame(() => viewport.keepInView(store.get().selection.nodes, pane.current));
  }, [state.layoutVersion, store]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const current = store.get();
      let nodes: Set<string> | null = null;
      let drag: Record<string, XY> | null = null;
      for (const c of changes) {
        if (c.type === "select") {
          nodes ??= new Set(current.selection.nodes);
          if (c.selected) nodes.add(c.id);
          else nodes.delete(c.id);
        } else if (c.type === "position" && c.position && c.dragging) {
          drag ??= { ...current.dragPositions };
          drag[c.id] = c.position;
        }
      }
      const patch: Parameters<typeof store.set>[0] = {};
      if (nodes) patch.selection = { ...current.selection, nodes: [...nodes] };
      if (drag) patch.dragPositions = drag;
      if (nodes || drag) store.set(patch);
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const current = store.get();
      const edges = new Set(current.selection.edges);
      let touched = false;
      for (const c of changes) {
        if (c.type !== "select") continue;
        touched = true;
        if (c.selected) edges.add(c.id);
        else edges.delete(c.id);
      }
      if (touched) store.set({ selection: { ...current.selection, edges: [...edges] } });
    },
    [store],
  );

  const onNodeDragStop = useCallback(
    (_: unknown, __: FlowNode, dragged: FlowNode[]) => {
      const positions: Record<string, XY> = {};
      const drag = store.get().dragPositions;
      for (const n of dragged) if (drag[n.id]) positions[n.id] = drag[n.id];
      if (Object.keys(positions).length) run("moveNodes", { positions });
      else store.set({ dragPositions: {} });
    },
    [store, run],
  );

  const isValidConnection = useCallback(
    (c: Connection | FlowEdge) => {
      const kind = (c.sourceHandle ?? "next") as ConnectKind;
      return canConnect(store.get().doc, c.source, c.target, kind);
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => run("connect", { source: c.source, target: c.target, kind: (c.sourceHandle ?? "next") as ConnectKind }),
    [run],
  );

  const onReconnect = useCallback(
    (old: FlowEdge, c: Connection) => {
      if (old.data && c.target !== old.target) run("reconnect", { edge: old.data.edge, target: c.target });
    },
    [run],
  );

  const ready = state.layoutVersion >= 0;
  return (
    <div className={`sd-canvas${ready ? "" : " laying-out"}`} data-testid="canvas" ref={pane}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={flow.nodes}
        edges={flow.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onReconnect={onReconnect}
        isValidConnection={isValidConnection}
        onInit={(rf) => {
          viewport.attach(rf);
          viewport.attachPane(pane.current);
        }}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        elevateNodesOnSelect={false}
        nodeDragThreshold={3}
        // A big machine: only what is on screen is mounted (Fit keeps a readable zoom, so
        // that is a region of it); panning mounts the rest as it comes into view.
        onlyRenderVisibleElements={flow.nodes.length > BIG_GRAPH}
        fitView
      >
        <Background gap={20} size={1} color="#d5dbdb" />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable style={{ width: 160, height: 110 }} nodeColor={(n) => TYPE_COLORS[(n.data as FlowNode["data"]).node.stateType ?? ""] ?? "#aab7b8"} />
      </ReactFlow>
    </div>
  );
}
