// The machine's own fields: Comment, StartAt, TimeoutSeconds, QueryLanguage, Version.

import { useEffect, useRef } from "react";
import { useServices } from "../app/context";
import { useStore } from "../store/useStore";
import { locate } from "../validation/locate";
import { isEmptyMachine } from "../validation/problems";
import { focusField, inspectorFocus } from "./focus";
import { JsonField, NumberField, SelectField, TextField } from "./fields";
import type { Json } from "../asl/types";
import { DiagnosticList } from "./DiagnosticList";
import { useNodeDiagnostics } from "./useEdit";

export function MachineForm() {
  const { store, run } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const diags = useNodeDiagnostics(null);
  const exampleInput = useStore(store, (s) => s.exampleInput);
  const update = (changes: Record<string, unknown>) => run("updateMachine", { changes });
  const names = Object.keys(doc.States ?? {});
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const apply = () => {
      const r = inspectorFocus.take(null);
      if (r) requestAnimationFrame(() => focusField(root.current, r.field));
    };
    apply();
    return inspectorFocus.subscribe(apply);
  }, []);
  return (
    <div className="sd-inspector" data-inspector="machine" ref={root}>
      <h2>State machine</h2>
      {isEmptyMachine(doc) && <p className="sd-intro">No states yet. Drag one from the palette onto the canvas (or click it), or import a definition.</p>}
      <DiagnosticList diagnostics={diags.all} onPick={(d) => inspectorFocus.request(null, locate(d.field || d.location).field)} />
      <TextField label="Comment" field="Comment" value={typeof doc.Comment === "string" ? doc.Comment : undefined} onCommit={(v) => update({ Comment: v })} />
      <SelectField label="StartAt" field="StartAt" value={doc.StartAt || undefined} options={names} empty="(none)" onCommit={(v) => update({ StartAt: v ?? "" })} diagnostics={diags.of("StartAt")} />
      <NumberField label="TimeoutSeconds" field="TimeoutSeconds" value={doc.TimeoutSeconds} integer min={1} onCommit={(v) => update({ TimeoutSeconds: v })} help="Maximum run time of an execution" diagnostics={diags.of("TimeoutSeconds")} />
      <SelectField
        label="QueryLanguage"
        field="QueryLanguage"
        value={typeof doc.QueryLanguage === "string" ? doc.QueryLanguage : undefined}
        options={["JSONPath", "JSONata"]}
        empty="JSONPath (default)"
        onCommit={(v) => update({ QueryLanguage: v })}
        help="States inherit it unless they set their own"
      />
      <TextField label="Version" field="Version" value={typeof doc.Version === "string" ? doc.Version : undefined} onCommit={(v) => update({ Version: v })} placeholder="1.0" />
      <JsonField
        label="Example input"
        field="example-input"
        value={exampleInput === null ? undefined : (exampleInput as Json)}
        onCommit={(v) => run("setExampleInput", { value: v ?? null })}
        placeholder='{"key": "value"}'
        help="Prefills Start execution. Saved with the state machine, not part of its definition."
      />
      <p className="sd-hint">Select a state on the canvas to edit it. Drag from a state's bottom handle to connect it; Choice states also have a Default handle and Task, Parallel and Map a Catch handle on their right.</p>
    </div>
  );
}
