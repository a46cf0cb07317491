// The form for the selected state: name, type-specific fields, input and
// output, transition, Retry and Catch. Every change is one command.

import { useServices } from "../app/context";
import { usesJsonata } from "../asl/edit";
import { parseStateId } from "../asl/ids";
import { getScope, getState } from "../asl/scopes";
import { canCatch, hasOwnTransition } from "../asl/templates";
import { allStateNames } from "../asl/edit";
import { TYPE_COLORS, TypeIcon } from "../canvas/nodes/icons";
import { useStore } from "../store/useStore";
import { ChoiceRules } from "./ChoiceRules";
import { DiagnosticList } from "./DiagnosticList";
import { Section, SelectField, TextField, str } from "./fields";
import { IoFields } from "./ioFields";
import { CatchList, RetryList } from "./RetryCatch";
import { FailFields, MapFields, ParallelFields, PassFields, TaskFields, WaitFields } from "./typeFields";
import { useNodeDiagnostics, useStateEdit } from "./useEdit";

const TYPE_FIELDS = { Task: TaskFields, Wait: WaitFields, Pass: PassFields, Fail: FailFields, Parallel: ParallelFields, Map: MapFields };

export function StateForm({ id }: { id: string }) {
  const { store, run } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const state = getState(doc, id);
  const update = useStateEdit(id);
  const diags = useNodeDiagnostics(id);
  if (!state) return null;
  const { scope, name } = parseStateId(id);
  const type = state.Type;
  const jsonata = usesJsonata(doc, state);
  const targets = Object.keys(getScope(doc, scope)?.States ?? {}).filter((n) => n !== name || type === "Choice");
  const TypeFields = TYPE_FIELDS[type as keyof typeof TYPE_FIELDS];
  const taken = allStateNames(doc);

  const validateName = (v: string) => {
    if (!v.trim()) return "A state needs a name";
    if (v.length > 80) return "At most 80 characters";
    if (v !== name && taken.has(v)) return "Another state has this name";
    return null;
  };

  return (
    <div className="sd-inspector" data-inspector="state" data-inspector-state={name}>
      <h2>
        <span className="sd-node-icon" style={{ ["--type-color" as string]: TYPE_COLORS[type] }}>
          <TypeIcon type={type} size={16} />
        </span>
        {type} state
      </h2>
      <DiagnosticList diagnostics={diags.all} />
      <TextField label="Name" field="Name" value={name} validate={validateName} onCommit={(v) => v && v !== name && run("renameState", { id, newName: v })} keepEmpty />
      <TextField label="Comment" field="Comment" value={str(state.Comment)} onCommit={(v) => update({ Comment: v })} />
      <SelectField
        label="QueryLanguage"
        field="QueryLanguage"
        value={typeof state.QueryLanguage === "string" ? state.QueryLanguage : undefined}
        options={["JSONPath", "JSONata"]}
        empty={`Inherit (${doc.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath"})`}
        onCommit={(v) => update({ QueryLanguage: v })}
      />
      {TypeFields && <TypeFields id={id} state={state} update={update} jsonata={jsonata} diag={diags.of} />}
      {type === "Choice" && <ChoiceRules state={state} targets={targets} jsonata={jsonata} onChange={update} />}
      {hasOwnTransition(type) && (
        <Section title="Transition" id="Transition">
          <SelectField
            label="Next state"
            field="Next"
            value={state.End === true ? "" : typeof state.Next === "string" ? state.Next : ""}
            options={targets.filter((n) => n !== name)}
            empty="End of this branch (End: true)"
            onCommit={(v) => update(v ? { Next: v, End: undefined } : { Next: undefined, End: true })}
            diagnostics={[...diags.of("Next"), ...diags.of("End")]}
          />
        </Section>
      )}
      <IoFields type={type} state={state} update={update} jsonata={jsonata} diag={diags.of} />
      {canCatch(type) && (
        <>
          <RetryList value={state.Retry} onChange={(v) => update({ Retry: v })} />
          <CatchList value={state.Catch} onChange={(v) => update({ Catch: v })} targets={targets.filter((n) => n !== name)} jsonata={jsonata} />
        </>
      )}
    </div>
  );
}
