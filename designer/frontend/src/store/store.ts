// The one store of the designer: the ASL document, where nodes are drawn,
// what is selected, and what the validator said. Only commands change
// `doc` and `manualPositions` (they are undoable); layout, selection, drag
// positions and diagnostics are view state and never enter the ASL data.

import { emptyMachine, type StateMachine } from "../asl/types";
import { printSource, type Source } from "../code/source";
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
  /** AWS's wording (the server) or ours (local checks). */
  message: string;
  /** JSON pointer into the definition, e.g. /States/Check/Next */
  location: string;
  /** The finding in words that name the field (the server's `explanation`). */
  explanation?: string;
  /** JSON pointer of the field the explanation names, when it differs from location. */
  field?: string;
  source?: "server" | "local" | "parse";
}

/** Text in the Definition tab that is not JSON: where, and what the parser said. */
export interface CodeError {
  message: string;
  line: number;
  column: number;
  offset: number;
}

export interface DesignerState {
  doc: StateMachine;
  /** The text the document was read from (import, code view, a saved machine), written back
   * with only the edited parts serialised again; null for a document built from scratch.
   * Set with the document by the replaceDocument command. */
  source: Source | null;
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
  /** The document as last loaded or saved: the editor is dirty while `doc` differs from it. */
  baseline: StateMachine;
  /** Set while the Definition tab holds text that does not parse (the graph keeps the last valid document). */
  codeError: CodeError | null;
  /** The machine's example input (prefill of Start execution; saved with the machine, never
   * part of the ASL): null when it has none. Changed by the setExampleInput command. */
  exampleInput: unknown;
  /** The example input as the server has it (Save sends it only when it differs). */
  savedExampleInput: unknown;
}

export function initialState(doc: StateMachine = emptyMachine()): DesignerState {
  return {
    doc,
    source: null,
    docVersion: 0,
    manualPositions: {},
    layout: {},
    routes: {},
    layoutVersion: -1,
    layoutKey: "",
    dragPositions: {},
    selection: { nodes: [], edges: [] },
    diagnostics: [],
    baseline: doc,
    codeError: null,
    exampleInput: null,
    savedExampleInput: null,
  };
}

/** The definition as text: the source with the edits written in (code view, export, save). */
export function documentText(state: Pick<DesignerState, "doc" | "source">): string {
  return printSource(state.doc, state.source);
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
