// Fields particular to each state type.

import { useEffect, useId, useState } from "react";
import { loadHandlers } from "../api/handlers";
import { useServices } from "../app/context";
import { processorScopeId } from "../asl/ids";
import { getScope } from "../asl/scopes";
import { isObject, type JsonObject } from "../asl/types";
import { useStore } from "../store/useStore";
import type { Diagnostic } from "../store/store";
import { JsonField, NumberField, Section, SelectField, TextField, str } from "./fields";

interface Props {
  id: string;
  state: JsonObject;
  update: (changes: Record<string, unknown>) => void;
  jsonata: boolean;
  diag: (field: string) => Diagnostic[];
}

const WAIT_MODES = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"] as const;

function useHandlerResources(): string[] {
  const { api } = useServices();
  const [resources, setResources] = useState<string[]>([]);
  useEffect(() => {
    loadHandlers(api)
      .then((list) => setResources([...new Set(list.map((h) => h.state_template?.Resource).filter((r): r is string => typeof r === "string"))]))
      .catch(() => setResources([]));
  }, [api]);
  return resources;
}

export function TaskFields({ state, update, jsonata, diag }: Props) {
  const resources = useHandlerResources();
  const listId = useId();
  const num = (key: string, label: string, help?: string) =>
    jsonata ? (
      <TextField label={label} field={key} mono value={str(state[key])} onCommit={(v) => update({ [key]: v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v })} diagnostics={diag(key)} help={help} />
    ) : (
      <NumberField label={label} field={key} value={state[key]} integer min={1} onCommit={(v) => update({ [key]: v })} diagnostics={diag(key)} help={help} />
    );
  return (
    <Section title="Task" id="Task">
      <TextField label="Resource" field="Resource" mono value={str(state.Resource)} onCommit={(v) => update({ Resource: v ?? "" })} diagnostics={diag("Resource")} placeholder="arn:aws:states:::http:invoke" keepEmpty list={listId} help="A registered handler's resource, or any ARN" />
      <datalist id={listId}>
        {resources.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <div className="sd-row">
        {num("TimeoutSeconds", "TimeoutSeconds")}
        {num("HeartbeatSeconds", "HeartbeatSeconds")}
      </div>
      {!jsonata && (
        <div className="sd-row">
          <TextField label="TimeoutSecondsPath" field="TimeoutSecondsPath" mono value={str(state.TimeoutSecondsPath)} onCommit={(v) => update({ TimeoutSecondsPath: v })} diagnostics={diag("TimeoutSecondsPath")} />
          <TextField label="HeartbeatSecondsPath" field="HeartbeatSecondsPath" mono value={str(state.HeartbeatSecondsPath)} onCommit={(v) => update({ HeartbeatSecondsPath: v })} diagnostics={diag("HeartbeatSecondsPath")} />
        </div>
      )}
      <JsonField label="Credentials" field="Credentials" value={state.Credentials} onCommit={(v) => update({ Credentials: v })} diagnostics={diag("Credentials")} />
    </Section>
  );
}

export function WaitFields({ state, update, jsonata, diag }: Props) {
  const mode = WAIT_MODES.find((m) => state[m] !== undefined) ?? "Seconds";
  const modes = jsonata ? ["Seconds", "Timestamp"] : [...WAIT_MODES];
  const setMode = (next: string | undefined) => {
    if (!next || next === mode) return;
    const changes: Record<string, unknown> = {};
    for (const m of WAIT_MODES) changes[m] = undefined;
    changes[next] = next === "Seconds" ? 5 : next === "Timestamp" ? "2030-01-01T00:00:00Z" : "$.";
    update(changes);
  };
  return (
    <Section title="Wait" id="Wait">
      <SelectField label="Wait for" field="WaitMode" value={mode} options={modes.map((m) => [m, { Seconds: "A number of seconds", SecondsPath: "Seconds read from the input", Timestamp: "Until a timestamp", TimestampPath: "Until a timestamp read from the input" }[m]!] as [string, string])} onCommit={setMode} />
      {mode === "Seconds" && !jsonata && <NumberField label="Seconds" field="Seconds" value={state.Seconds} integer min={0} onCommit={(v) => update({ Seconds: v ?? 0 })} diagnostics={diag("Seconds")} />}
      {mode === "Seconds" && jsonata && <TextField label="Seconds" field="Seconds" mono value={str(state.Seconds)} onCommit={(v) => update({ Seconds: v !== undefined && /^\d+$/.test(v) ? Number(v) : (v ?? 0) })} diagnostics={diag("Seconds")} />}
      {mode !== "Seconds" && <TextField label={mode} field={mode} mono value={str(state[mode])} onCommit={(v) => update({ [mode]: v ?? "" })} diagnostics={diag(mode)} keepEmpty />}
    </Section>
  );
}

export function PassFields({ state, update, jsonata, diag }: Props) {
  if (jsonata) return null;
  return (
    <Section title="Pass" id="Pass">
      <JsonField label="Result" field="Result" value={state.Result} onCommit={(v) => update({ Result: v })} diagnostics={diag("Result")} help="Fixed output, placed at ResultPath" />
    </Section>
  );
}

export function FailFields({ state, update, jsonata, diag }: Props) {
  return (
    <Section title="Fail" id="Fail">
      <TextField label="Error" field="Error" value={str(state.Error)} onCommit={(v) => update({ Error: v })} diagnostics={diag("Error")} />
      <TextField label="Cause" field="Cause" value={str(state.Cause)} onCommit={(v) => update({ Cause: v })} diagnostics={diag("Cause")} />
      {!jsonata && (
        <div className="sd-row">
          <TextField label="ErrorPath" field="ErrorPath" mono value={str(state.ErrorPath)} onCommit={(v) => update({ ErrorPath: v })} diagnostics={diag("ErrorPath")} />
          <TextField label="CausePath" field="CausePath" mono value={str(state.CausePath)} onCommit={(v) => update({ CausePath: v })} diagnostics={diag("CausePath")} />
        </div>
      )}
    </Section>
  );
}

export function ParallelFields({ id, state }: Props) {
  const { run } = useServices();
  const branches = Array.isArray(state.Branches) ? state.Branches : [];
  return (
    <Section title={`Branches (${branches.length})`} id="Branches">
      {branches.map((b, i) => (
        <div className="sd-card-head" key={i}>
          Branch {i + 1} · {isObject(b) && isObject(b.States) ? Object.keys(b.States).length : 0} state(s)
          <span className="sd-spacer" />
          <button type="button" className="sd-btn sd-btn-small sd-btn-danger" disabled={branches.length <= 1} onClick={() => run("removeBranch", { id, index: i })}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="sd-btn sd-btn-small" data-action="add-branch" onClick={() => run("addBranch", { id })}>
        Add branch
      </button>
    </Section>
  );
}

export function MapFields({ id, state, update, jsonata, diag }: Props) {
  const { store, run } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const scopeId = processorScopeId(id);
  const processor = getScope(doc, scopeId);
  const config = isObject(processor?.ProcessorConfig) ? processor!.ProcessorConfig : {};
  const setConfig = (changes: Record<string, unknown>) => {
    const next: JsonObject = { ...config };
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete next[k];
      else next[k] = v as JsonObject[string];
    }
    run("updateScopeFields", { scope: scopeId, changes: { ProcessorConfig: Object.keys(next).length ? next : undefined } });
  };
  return (
    <Section title="Map" id="Map">
      {jsonata ? (
        <TextField label="Items" field="Items" mono value={str(state.Items)} onCommit={(v) => update({ Items: v })} diagnostics={diag("Items")} placeholder="{% $states.input.items %}" />
      ) : (
        <TextField label="ItemsPath" field="ItemsPath" mono value={str(state.ItemsPath)} onCommit={(v) => update({ ItemsPath: v })} diagnostics={diag("ItemsPath")} placeholder="$.items" />
      )}
      <JsonField label="ItemSelector" field="ItemSelector" value={state.ItemSelector} onCommit={(v) => update({ ItemSelector: v })} diagnostics={diag("ItemSelector")} />
      <div className="sd-row">
        <NumberField label="MaxConcurrency" field="MaxConcurrency" value={state.MaxConcurrency} integer min={0} onCommit={(v) => update({ MaxConcurrency: v })} diagnostics={diag("MaxConcurrency")} help="0 = no limit" />
        {!jsonata && <TextField label="MaxConcurrencyPath" field="MaxConcurrencyPath" mono value={str(state.MaxConcurrencyPath)} onCommit={(v) => update({ MaxConcurrencyPath: v })} diagnostics={diag("MaxConcurrencyPath")} />}
      </div>
      <div className="sd-row">
        <NumberField label="ToleratedFailurePercentage" field="ToleratedFailurePercentage" value={state.ToleratedFailurePercentage} min={0} onCommit={(v) => update({ ToleratedFailurePercentage: v })} diagnostics={diag("ToleratedFailurePercentage")} />
        <NumberField label="ToleratedFailureCount" field="ToleratedFailureCount" value={state.ToleratedFailureCount} integer min={0} onCommit={(v) => update({ ToleratedFailureCount: v })} diagnostics={diag("ToleratedFailureCount")} />
      </div>
      <div className="sd-row">
        <SelectField label="Processor mode" field="ProcessorConfig.Mode" value={typeof config.Mode === "string" ? config.Mode : undefined} options={["INLINE", "DISTRIBUTED"]} empty="INLINE (default)" onCommit={(v) => setConfig({ Mode: v })} />
        <SelectField label="ExecutionType" field="ProcessorConfig.ExecutionType" value={typeof config.ExecutionType === "string" ? config.ExecutionType : undefined} options={["STANDARD", "EXPRESS"]} empty="(none)" onCommit={(v) => setConfig({ ExecutionType: v })} />
      </div>
      <TextField label="Label" field="Label" value={str(state.Label)} onCommit={(v) => update({ Label: v })} diagnostics={diag("Label")} />
      <JsonField label="ItemReader" field="ItemReader" value={state.ItemReader} onCommit={(v) => update({ ItemReader: v })} diagnostics={diag("ItemReader")} />
      <JsonField label="ItemBatcher" field="ItemBatcher" value={state.ItemBatcher} onCommit={(v) => update({ ItemBatcher: v })} diagnostics={diag("ItemBatcher")} />
      <JsonField label="ResultWriter" field="ResultWriter" value={state.ResultWriter} onCommit={(v) => update({ ResultWriter: v })} diagnostics={diag("ResultWriter")} />
    </Section>
  );
}
