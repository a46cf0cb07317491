// The form for the selected state, in Workflow Studio's order: Configuration (name, what
// the state does, where it goes next), Input/Output, Error handling (Retry, Catch). Tabs
// keep each one a click away instead of below the others. Every change is one command.

import { useEffect, useRef, type ReactNode } from "react";
import { useServices } from "../app/context";
import { allStateNames, usesJsonata } from "../asl/edit";
import { parseStateId } from "../asl/ids";
import { getScope, getState } from "../asl/scopes";
import { canCatch, hasOwnTransition } from "../asl/templates";
import { TYPE_COLORS, TypeIcon } from "../canvas/nodes/icons";
import { useStore } from "../store/useStore";
import { locate } from "../validation/locate";
import { tabOf, type InspectorTab } from "../validation/problems";
import { ChoiceRules } from "./ChoiceRules";
import { DiagnosticList } from "./DiagnosticList";
import { SelectField, TextField, str } from "./fields";
import { focusField, inspectorFocus } from "./focus";
import { IoFields, hasIoFields } from "./ioFields";
import { CatchList, RetryList } from "./RetryCatch";
import { FailFields, MapFields, ParallelFields, PassFields, TaskFields, WaitFields } from "./typeFields";
import { useNodeDiagnostics, useStateEdit } from "./useEdit";

const TYPE_FIELDS = { Task: TaskFields, Wait: WaitFields, Pass: PassFields, Fail: FailFields, Parallel: ParallelFields, Map: MapFields };

const TAB_TITLES: Record<InspectorTab, string> = { config: "Configuration", io: "Input/Output", errors: "Error handling" };

export function StateForm({ id, tab, onTab }: { id: string; tab: InspectorTab; onTab: (t: InspectorTab) => void }) {
  const { store, run } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const state = getState(doc, id);
  const update = useStateEdit(id);
  const diags = useNodeDiagnostics(id);
  const root = useRef<HTMLDivElement>(null);

  // A field asked for from the Problems panel: its tab first, then the field itself.
  useEffect(() => {
    const apply = () => {
      const r = inspectorFocus.take(id);
      if (!r) return;
      onTab(tabOf(r.field));
      requestAnimationFrame(() => requestAnimationFrame(() => focusField(root.current, r.field)));
    };
    apply();
    return inspectorFocus.subscribe(apply);
  }, [id, onTab]);

  if (!state) return null;
  const { scope, name } = parseStateId(id);
  const type = state.Type;
  const jsonata = usesJsonata(doc, state);
  const targets = Object.keys(getScope(doc, scope)?.States ?? {}).filter((n) => n !== name || type === "Choice");
  const TypeFields = TYPE_FIELDS[type as keyof typeof TYPE_FIELDS];
  const taken = allStateNames(doc);

  const tabs: InspectorTab[] = ["config", ...(hasIoFields(type) ? ["io" as const] : []), ...(canCatch(type) ? ["errors" as const] : [])];
  const current = tabs.includes(tab) ? tab : "config";
  const countIn = (t: InspectorTab) => diags.all.filter((d) => tabOf(locate(d.field || d.location).field) === t).length;

  const validateName = (v: string) => {
    if (!v.trim()) return "A state needs a name";
    if (v.length > 80) return "At most 80 characters";
    if (v !== name && taken.has(v)) return "Another state has this name";
    return null;
  };

  const panels: Record<InspectorTab, () => ReactNode> = {
    config: () => (
      <>
        <TextField label="Name" field="Name" value={name} validate={validateName} onCommit={(v) => v && v !== name && run("renameState", { id, newName: v })} keepEmpty />
        {TypeFields && <TypeFields id={id} state={state} update={update} jsonata={jsonata} diag={diags.of} />}
        {type === "Choice" && <ChoiceRules state={state} targets={targets} jsonata={jsonata} onChange={update} diag={diags.of} />}
        {hasOwnTransition(type) && (
          <SelectField
            label="Next state"
            field="Next"
            value={state.End === true ? "" : typeof state.Next === "string" ? state.Next : ""}
            options={targets.filter((n) => n !== name)}
            empty="End of this branch (End: true)"
            onCommit={(v) => update(v ? { Next: v, End: undefined } : { Next: undefined, End: true })}
            diagnostics={[...diags.of("Next"), ...diags.of("End")]}
          />
        )}
        <TextField label="Comment" field="Comment" value={str(state.Comment)} onCommit={(v) => update({ Comment: v })} />
        <SelectField
          label="QueryLanguage"
          field="QueryLanguage"
          value={typeof state.QueryLanguage === "string" ? state.QueryLanguage : undefined}
          options={["JSONPath", "JSONata"]}
          empty={`Inherit (${doc.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath"})`}
          onCommit={(v) => update({ QueryLanguage: v })}
        />
      </>
    ),
    io: () => <IoFields type={type} state={state} update={update} jsonata={jsonata} diag={diags.of} />,
    errors: () => (
      <>
        <RetryList value={state.Retry} onChange={(v) => update({ Retry: v })} />
        <CatchList value={state.Catch} onChange={(v) => update({ Catch: v })} targets={targets.filter((n) => n !== name)} jsonata={jsonata} />
      </>
    ),
  };

  return (
    <div className="sd-inspector" data-inspector="state" data-inspector-state={name} ref={root}>
      <h2>
        <span className="sd-node-icon" style={{ ["--type-color" as string]: TYPE_COLORS[type] }}>
          <TypeIcon type={type} size={16} />
        </span>
        <span className="sd-inspector-name">{name}</span>
        <span className="sd-inspector-type">{type} state</span>
      </h2>
      <DiagnosticList diagnostics={diags.all} onPick={(d) => inspectorFocus.request(id, locate(d.field || d.location).field)} />
      <div className="sd-subtabs" role="tablist" aria-label="State settings">
        {tabs.map((t) => {
          const n = countIn(t);
          return (
            <button key={t} type="button" role="tab" aria-selected={t === current} className={`sd-subtab${t === current ? " active" : ""}`} data-inspector-tab={t} onClick={() => onTab(t)}>
              {TAB_TITLES[t]}
              {n > 0 && <span className="sd-subtab-count">{n}</span>}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" data-inspector-panel={current}>
        {panels[current]()}
      </div>
    </div>
  );
}
