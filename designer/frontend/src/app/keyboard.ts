// Designer shortcuts. They act only when focus is not in a text field or
// the code editor, where the same keys edit text.

import { toGraph } from "../asl/toGraph";
import { viewport } from "../canvas/viewport";
import type { DesignerServices } from "./context";
import { copySelection, duplicateSelection, externalStates, paste } from "./clipboard";

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.closest) return false;
  return !!el.closest("input, textarea, select, [contenteditable=true], .cm-editor");
}

export function deleteSelection(s: DesignerServices): void {
  const { selection, doc } = s.store.get();
  const graph = toGraph(doc);
  const edges = graph.edges.filter((e) => selection.edges.includes(e.id) && e.kind !== "start" && e.kind !== "end");
  const nodes = selection.nodes.filter((id) => graph.nodes.some((n) => n.id === id && n.kind === "state"));
  if (nodes.length || edges.length) s.run("deleteSelection", { nodes, edges });
}

/** Paste states: JSON of states from the system clipboard if it holds some, else our own copy. */
let pendingPaste: ReturnType<typeof setTimeout> | undefined;

export function handlePaste(s: DesignerServices, e: ClipboardEvent): void {
  if (typing(e.target)) return;
  clearTimeout(pendingPaste);
  const fromText = externalStates(e.clipboardData?.getData("text/plain") ?? "");
  e.preventDefault();
  paste(s, fromText ?? undefined);
}

export function handleKey(s: DesignerServices, e: KeyboardEvent): boolean {
  if (typing(e.target)) return false;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (key === "delete" || key === "backspace") deleteSelection(s);
  else if (mod && key === "z" && e.shiftKey) s.stack.redo();
  else if (mod && key === "z") s.stack.undo();
  else if (mod && key === "y") s.stack.redo();
  else if (mod && key === "d") duplicateSelection(s);
  else if (mod && key === "c") {
    if (!copySelection(s)) return false;
  } else if (mod && key === "v") {
    // Let the browser fire its paste event (handlePaste): it carries text copied elsewhere.
    // Browsers skip that event when nothing editable has focus; then paste our own copy.
    pendingPaste = setTimeout(() => paste(s), 80);
    return false;
  }
  else if (e.altKey && (key === "c" || e.code === "KeyC")) viewport.centre(s.store.get().selection.nodes);
  else return false;
  e.preventDefault();
  return true;
}
