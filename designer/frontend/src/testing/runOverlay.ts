// The test run drawn on the designer's canvas: the run's history goes through the live view's
// model (live/model.ts), so statuses, visit counts and retries mean exactly what they mean
// on an execution's page. Nodes subscribe per id and re-render only when their mark changes.

import { useSyncExternalStore } from "react";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import { ExecutionModel, type HistoryEvent, type NodeStatus } from "../live/model";

export interface RunView {
  model: ExecutionModel;
  caseName: string;
  /** The document the run was made with (the panel says when the canvas has changed since). */
  doc: StateMachine;
}

let current: RunView | null = null;
const listeners = new Set<() => void>();

/** Build the live view's model from a test run's events (AWS history shape, ids as seqs). */
export function modelOf(doc: StateMachine, events: Record<string, unknown>[]): ExecutionModel {
  const graph = toGraph(doc);
  const ids = new Set(graph.nodes.map((n) => n.id));
  const branches = (node: string) => graph.nodes.filter((n) => n.kind === "scope" && n.parentId === node).length;
  const model = new ExecutionModel(ids, branches);
  for (const e of events) model.add({ ...e, seq: Number(e.id) } as HistoryEvent);
  return model;
}

export const runOverlay = {
  get: (): RunView | null => current,
  set(view: RunView | null): void {
    current = view;
    for (const l of listeners) l();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export interface NodeMark {
  status: NodeStatus;
  visits: number;
  retries: number;
}

function markKey(id: string): string {
  if (!current) return "";
  const m = current.model;
  return `${m.nodeStatus(id)}|${m.visitCount(id)}|${m.retries(id)}`;
}

/** A node's mark in the run shown, or null when no run is shown. */
export function useNodeMark(id: string): NodeMark | null {
  const key = useSyncExternalStore(runOverlay.subscribe, () => markKey(id));
  if (!key) return null;
  const [status, visits, retries] = key.split("|");
  return { status: status as NodeStatus, visits: Number(visits), retries: Number(retries) };
}

/** "×3  ↻ 2 retries", as the live graph's badge. */
export function markText(mark: NodeMark): string {
  const parts = [];
  if (mark.retries) parts.push(`↻ ${mark.retries} ${mark.retries === 1 ? "retry" : "retries"}`);
  if (mark.visits > 1) parts.push(`×${mark.visits}`);
  return parts.join("  ");
}
