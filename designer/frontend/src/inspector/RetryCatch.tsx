// Retry and Catch lists of Task, Parallel and Map states.

import type { Json, JsonObject } from "../asl/types";
import { isObject } from "../asl/types";
import { JsonField, NumberField, Section, SelectField, TextField } from "./fields";

function errorsText(v: Json | undefined): string | undefined {
  return Array.isArray(v) ? v.join(", ") : undefined;
}
function errorsList(text: string | undefined): string[] {
  return (text ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

function ListHead({ title, index, count, onMove, onRemove }: { title: string; index: number; count: number; onMove: (to: number) => void; onRemove: () => void }) {
  return (
    <div className="sd-card-head">
      {title}
      <span className="sd-spacer" />
      <button type="button" className="sd-btn sd-btn-small" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label="Move up">
        ↑
      </button>
      <button type="button" className="sd-btn sd-btn-small" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label="Move down">
        ↓
      </button>
      <button type="button" className="sd-btn sd-btn-small sd-btn-danger" onClick={onRemove}>
        Remove
      </button>
    </div>
  );
}

function move<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

export function RetryList({ value, onChange }: { value: Json | undefined; onChange: (v: JsonObject[] | undefined) => void }) {
  const list = (Array.isArray(value) ? value : []).filter(isObject);
  const set = (i: number, changes: Record<string, unknown>) => {
    const next = list.map((r, j) => (j === i ? { ...r } : r));
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete next[i][k];
      else next[i][k] = v as Json;
    }
    onChange(next);
  };
  return (
    <Section title={`Retry (${list.length})`} id="Retry">
      {list.map((r, i) => (
        <div className="sd-card" key={i} data-retrier={i}>
          <ListHead title={`Retrier #${i + 1}`} index={i} count={list.length} onMove={(to) => onChange(move(list, i, to))} onRemove={() => onChange(list.length > 1 ? list.filter((_, j) => j !== i) : undefined)} />
          <TextField label="ErrorEquals" field={`Retry.${i}.ErrorEquals`} value={errorsText(r.ErrorEquals)} onCommit={(v) => set(i, { ErrorEquals: errorsList(v) })} help="Comma-separated, e.g. States.TaskFailed, States.ALL" />
          <div className="sd-row">
            <NumberField label="IntervalSeconds" field={`Retry.${i}.IntervalSeconds`} value={r.IntervalSeconds} integer min={1} onCommit={(v) => set(i, { IntervalSeconds: v })} placeholder="1" />
            <NumberField label="MaxAttempts" field={`Retry.${i}.MaxAttempts`} value={r.MaxAttempts} integer min={0} onCommit={(v) => set(i, { MaxAttempts: v })} placeholder="3" />
          </div>
          <div className="sd-row">
            <NumberField label="BackoffRate" field={`Retry.${i}.BackoffRate`} value={r.BackoffRate} min={1} onCommit={(v) => set(i, { BackoffRate: v })} placeholder="2.0" />
            <NumberField label="MaxDelaySeconds" field={`Retry.${i}.MaxDelaySeconds`} value={r.MaxDelaySeconds} integer min={1} onCommit={(v) => set(i, { MaxDelaySeconds: v })} />
          </div>
          <SelectField label="JitterStrategy" field={`Retry.${i}.JitterStrategy`} value={typeof r.JitterStrategy === "string" ? r.JitterStrategy : undefined} options={["FULL", "NONE"]} empty="(none)" onCommit={(v) => set(i, { JitterStrategy: v })} />
        </div>
      ))}
      <button type="button" className="sd-btn sd-btn-small" data-action="add-retrier" onClick={() => onChange([...list, { ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }])}>
        Add retrier
      </button>
    </Section>
  );
}

export function CatchList({ value, onChange, targets, jsonata }: { value: Json | undefined; onChange: (v: JsonObject[] | undefined) => void; targets: string[]; jsonata: boolean }) {
  const list = (Array.isArray(value) ? value : []).filter(isObject);
  const set = (i: number, changes: Record<string, unknown>) => {
    const next = list.map((r, j) => (j === i ? { ...r } : r));
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete next[i][k];
      else next[i][k] = v as Json;
    }
    onChange(next);
  };
  return (
    <Section title={`Catch (${list.length})`} id="Catch">
      {list.map((c, i) => (
        <div className="sd-card" key={i} data-catcher={i}>
          <ListHead title={`Catcher #${i + 1}`} index={i} count={list.length} onMove={(to) => onChange(move(list, i, to))} onRemove={() => onChange(list.length > 1 ? list.filter((_, j) => j !== i) : undefined)} />
          <TextField label="ErrorEquals" field={`Catch.${i}.ErrorEquals`} value={errorsText(c.ErrorEquals)} onCommit={(v) => set(i, { ErrorEquals: errorsList(v) })} />
          <SelectField label="Next" field={`Catch.${i}.Next`} value={typeof c.Next === "string" ? c.Next : undefined} options={targets} empty="(choose a state)" onCommit={(v) => set(i, { Next: v })} />
          {jsonata ? (
            <>
              <JsonField label="Output" field={`Catch.${i}.Output`} value={c.Output} onCommit={(v) => set(i, { Output: v })} />
              <JsonField label="Assign" field={`Catch.${i}.Assign`} value={c.Assign} onCommit={(v) => set(i, { Assign: v })} />
            </>
          ) : (
            <TextField label="ResultPath" field={`Catch.${i}.ResultPath`} mono value={typeof c.ResultPath === "string" ? c.ResultPath : undefined} onCommit={(v) => set(i, { ResultPath: v })} placeholder="$.error" />
          )}
        </div>
      ))}
      <button type="button" className="sd-btn sd-btn-small" data-action="add-catcher" disabled={targets.length === 0} onClick={() => onChange([...list, { ErrorEquals: ["States.ALL"], Next: targets[0] }])}>
        Add catcher
      </button>
    </Section>
  );
}
