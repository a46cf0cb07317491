// "Show me this field": the Problems panel (and the inspector's own list) ask for a state's
// field; the inspector switches to the tab that holds it, opens its section, scrolls it
// into view, focuses it and flashes it. A view request, never part of the document.

import { fieldCandidates } from "../validation/problems";

interface Request {
  nodeId: string | null;
  field: string[];
}

let pending: Request | null = null;
const listeners = new Set<() => void>();

export const inspectorFocus = {
  request(nodeId: string | null, field: string[]) {
    pending = { nodeId, field };
    for (const l of listeners) l();
  },
  /** The pending request for this node (null: the machine), consumed. */
  take(nodeId: string | null): Request | null {
    if (!pending || pending.nodeId !== nodeId) return null;
    const r = pending;
    pending = null;
    return r;
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

/** Focus the form field for a pointer's path inside `root`; true when one was found. */
export function focusField(root: HTMLElement | null, field: string[]): boolean {
  if (!root) return false;
  for (const name of fieldCandidates(field)) {
    const el = root.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
    if (!el) continue;
    el.closest("details")?.setAttribute("open", "");
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
    const box = el.closest<HTMLElement>(".sd-field") ?? el;
    box.classList.remove("sd-flash");
    void box.offsetWidth; // restart the animation when the same field is asked for twice
    box.classList.add("sd-flash");
    return true;
  }
  return false;
}
