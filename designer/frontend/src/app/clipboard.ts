// Copy/paste of states. The designer keeps its own clipboard (states by
// name) and also writes the JSON to the system clipboard, so states can be
// pasted into another tab's designer or a text editor.

import { parseStateId } from "../asl/ids";
import { getState } from "../asl/scopes";
import { isObject, type State } from "../asl/types";
import type { DesignerServices } from "./context";

let internal: Record<string, State> | null = null;

export function copySelection(s: DesignerServices): Record<string, State> | null {
  const { doc, selection } = s.store.get();
  const states: Record<string, State> = {};
  for (const id of selection.nodes) {
    const state = getState(doc, id);
    if (state) states[parseStateId(id).name] = state;
  }
  if (!Object.keys(states).length) return null;
  internal = states;
  void navigator.clipboard?.writeText(JSON.stringify(states, null, 2)).catch(() => undefined);
  return states;
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

export function duplicateSelection(s: DesignerServices): void {
  const states = copySelection(s);
  if (states) paste(s, states);
}
