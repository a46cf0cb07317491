// Transient state of a palette drag (which item, which edge is under the
// pointer). A view flag: it never enters the store or the ASL document.

import { useSyncExternalStore } from "react";
import type { State } from "../asl/types";

export interface PaletteItem {
  /** Palette key, e.g. "Task" or "handler:send_email". */
  key: string;
  label: string;
  stateType: string;
  template?: State;
  description?: string;
}

export interface DragState {
  item: PaletteItem | null;
  x: number;
  y: number;
  overEdge: string | null;
  overScope: string | null;
}

let state: DragState = { item: null, x: 0, y: 0, overEdge: null, overScope: null };
const listeners = new Set<() => void>();

export const dragState = {
  get: () => state,
  set(patch: Partial<DragState>) {
    state = { ...state, ...patch };
    for (const l of listeners) l();
  },
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

export function useDragState<T>(select: (s: DragState) => T): T {
  return useSyncExternalStore(dragState.subscribe, () => select(dragState.get()));
}
