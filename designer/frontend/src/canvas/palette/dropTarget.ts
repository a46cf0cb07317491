// What a palette item lands on: an edge (insert the state there), a branch
// or processor (add it inside), or the bare canvas (add it to the machine).

import { parseStateId, ROOT_SCOPE } from "../../asl/ids";

export type DropTarget = { edge: string } | { scope: string };

export function dropTargetAt(x: number, y: number, doc = document): DropTarget | null {
  const hits = doc.elementsFromPoint(x, y);
  for (const el of hits) {
    const drop = el.closest("[data-edge-drop]");
    if (drop) return { edge: drop.getAttribute("data-edge-drop")! };
    const id = el.getAttribute("data-edge-id");
    if (id) return { edge: id };
  }
  for (const el of hits) {
    const scope = el.closest("[data-scope-id]");
    if (scope) return { scope: scope.getAttribute("data-scope-id")! };
    const node = el.closest(".react-flow__node");
    const nodeId = node?.getAttribute("data-id");
    if (nodeId && node?.querySelector("[data-state-name]")) return { scope: parseStateId(nodeId).scope };
    if (el.closest(".react-flow__pane, .react-flow__renderer")) return { scope: ROOT_SCOPE };
  }
  return null;
}
