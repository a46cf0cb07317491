// What the side panel shows: the selected state's form, the selected
// transition, or the machine's own fields.

import { useState } from "react";
import { useServices } from "../app/context";
import { toGraph } from "../asl/toGraph";
import { parseStateId } from "../asl/ids";
import { getState } from "../asl/scopes";
import { canDeleteEdge } from "../rules/rules";
import { useStore } from "../store/useStore";
import type { InspectorTab } from "../validation/problems";
import { MachineForm } from "./MachineForm";
import { StateForm } from "./StateForm";

const KIND_NAMES: Record<string, string> = { next: "Next", choice: "Choice rule", default: "Default", catch: "Catch", start: "StartAt", end: "End" };

function EdgeForm({ id }: { id: string }) {
  const { store, run } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const edge = toGraph(doc).edges.find((e) => e.id === id);
  if (!edge) return null;
  const from = edge.source.startsWith("#") ? "Start" : parseStateId(edge.source).name;
  return (
    <div className="sd-inspector" data-inspector="edge">
      <h2>{KIND_NAMES[edge.kind]} transition</h2>
      <p>
        From <strong>{from}</strong> to <strong>{edge.targetName ?? "End"}</strong>
        {edge.label ? ` (${edge.label})` : ""}.
      </p>
      {canDeleteEdge(edge) && (
        <button type="button" className="sd-btn sd-btn-danger" onClick={() => run("deleteEdge", { edge })}>
          Delete transition
        </button>
      )}
      <p className="sd-hint">Drag the arrow's end onto another state to retarget it.</p>
    </div>
  );
}

export function Inspector() {
  const { store } = useServices();
  const [tab, setTab] = useState<InspectorTab>("config");
  const selection = useStore(store, (s) => s.selection);
  const doc = useStore(store, (s) => s.doc);
  const node = selection.nodes.length === 1 ? selection.nodes[0] : null;
  // Another state opens on Configuration (a state just dropped is named and set up there);
  // the Problems panel switches to the tab that holds the field it shows.
  const [shownFor, setShownFor] = useState(node);
  if (shownFor !== node) {
    setShownFor(node);
    if (tab !== "config") setTab("config");
  }
  if (node && getState(doc, node)) return <StateForm key={node} id={node} tab={tab} onTab={setTab} />;
  if (!node && selection.edges.length === 1) return <EdgeForm id={selection.edges[0]} />;
  if (selection.nodes.length > 1) {
    return (
      <div className="sd-inspector">
        <h2>{selection.nodes.length} states selected</h2>
        <p className="sd-hint">Delete removes them, Ctrl+C / Ctrl+V copies them, Ctrl+D duplicates them.</p>
      </div>
    );
  }
  return <MachineForm />;
}
