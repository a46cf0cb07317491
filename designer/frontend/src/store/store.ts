// The one store of the designer: the ASL document, where nodes are drawn,
// what is selected, and what the validator said. Only commands change
// `doc` and `manualPositions` (they are undoable); layout, selection, drag
// positions and diagnostics are view state and never enter the ASL data.

import { emptyMachine, type StateMachine } from "../asl/types";
import type { Route } from "../layout/elk";

export interface XY {
  x: number;
  y: number;
}
export interface Box extends XY {
  width: number;
  height: number;
}

export interface Diagnostic {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  /** JSON pointer into the definition, e.g. /States/Check/Next */
  location: string;
  source?: "server" | "local" | "parse";
}

export interface DesignerState {
  doc: StateMachine;
  /** Incremented on every document change; async work (layout, validation) checks it before landing. */
  docVersion: number;
  /** Positions the user dragged nodes to, relative to their container; cleared by re-layout. */
  manualPositions: Record<string, XY>;
  /** Result of the last automatic layout (relative to the container, with sizes). */
  layout: Record<string, Box>;
  /** Edge routes of the last layout, absolute; used while both ends sit where the layout put them. */
  routes: Record<string, Route>;
  layoutVersion: number;
  /** Shape (topologyKey) of the graph the layout was computed for. */
  layoutKey: string;
  /** Live positions while a drag is in progress (committed as one command on drag stop). */
  dragPositions: Record<string, XY>;
  selection: { nodes: string[]; edges: string[] };
  diagnostics: Diagnostic[];
  /** The machine's example input (prefill of Start execution; saved with the machine, never
   * part of the ASL): null when it has none. Changed by the setExampleInput command. */
  exampleInput: unknown;
  /** The example input as the server has it (Save sends it only when it differs). */
  savedExampleInput: unknown;
}

export function initialState(doc: StateMachine = emptyMachine()): DesignerState {
  return {
    doc,
    docVersion: 0,
    manualPositions: {},
    layout: {},
    routes: {},
    layoutVersion: -1,
    layoutKey: "",
    dragPositions: {},
    selection: { nodes: [], edges: [] },
    diagnostics: [],
    exampleInput: null,
    savedExampleInput: null,
  };
}

type Listener = (state: DesignerState, previous: DesignerState) => void;

export class Store {
  private state: DesignerState;
  private listeners = new Set<Listener>();

  constructor(state: DesignerState = initialState()) {
    this.state = state;
  }

  get(): DesignerState {
    return this.state;
  }

  /** Shallow-merge a change; a new `doc` bumps docVersion. */
  set(patch: Partial<DesignerState>): void {
    const previous = this.state;
    const next = { ...previous, ...patch };
    if (patch.doc && patch.doc !== previous.doc) next.docVersion = previous.docVersion + 1;
    this.state = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
