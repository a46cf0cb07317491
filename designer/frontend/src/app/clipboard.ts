// Copy/paste of states. The designer keeps its own clipboard (states by
// name) and also writes the JSON to the system clipboard, so states can be
// pasted into another tab's designer or a text editor.

import { parseStateId } from "../asl/ids";
import { getState } from "../asl/scopes";
import { isObject, type State } from "../asl/types";
import type { DesignerServices } from "./context";

let internal: Record<string, State> | null = null;
/** Texts we put on the system clipboard: finding one of them there means "ours", and our
 * own copy is newer or equal (the system write is asynchronous and may lag behind). */
const written = new Set<string>();

function selectedStates(s: DesignerServices): Record<string, State> | null {
  const { doc, selection } = s.store.get();
  const states: Record<string, State> = {};
  for (const id of selection.nodes) {
    const state = getState(doc, id);
    if (state) states[parseStateId(id).name] = state;
  }
  return Object.keys(states).length ? states : null;
}

export function copySelection(s: DesignerServices): Record<string, State> | null {
  const states = selectedStates(s);
  if (!states) return null;
  internal = states;
  const text = JSON.stringify(states, null, 2);
  written.add(text);
  void navigator.clipboard?.writeText(text).catch(() => undefined);
  return states;
}

/** States from the system clipboard's text, unless the text is one we wrote ourselves. */
export function externalStates(text: string): Record<string, State> | null {
  return written.has(text) ? null : statesFromText(text);
}

/** Paste into the scope of the first selected state (or the machine). */
export function paste(s: DesignerServices, states: Record<string, State> | null = internal): void {
  states ??= internal;
  if (!states) return;
  const selected = s.store.get().selection.nodes[0];
  const scope = selected ? parseStateId(selected).scope : "";
  s.run("paste", { scope, states });
}

/** Accept states copied as JSON text from elsewhere: {"Name": {"Type": ...}, ...}. */
export function statesFromText(text: string): Record<string, State> | null {
  try {
    const value = JSON.parse(text);
    if (isObject(value) && Object.values(value).every((v) => isObject(v) && typeof v.Type === "string")) return value as Record<string, State>;
  } catch {
    /* not ours */
  }
  return null;
}

/** Ctrl+D: paste a copy of the selection; the clipboards are left alone. */
export function duplicateSelection(s: DesignerServices): void {
  const states = selectedStates(s);
  if (states) paste(s, states);
}
