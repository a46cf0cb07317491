// Form fields of the inspector. Each keeps the user's draft locally and
// commits on blur or Enter, so one edit of a field is one command (one
// undo step), not one per keystroke. JSON fields keep invalid text and show
// the parse error inline instead of committing it.

import { useEffect, useId, useState, type ReactNode } from "react";
import type { Json } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { isPlaceholder } from "../code/source";

interface Base {
  label: string;
  help?: string;
  /** data-field attribute: how tests and diagnostics find the field. */
  field: string;
  diagnostics?: Diagnostic[];
}

function Messages({ error, diagnostics }: { error?: string | null; diagnostics?: Diagnostic[] }) {
  return (
    <>
      {error && <span className="sd-error">{error}</span>}
      {diagnostics?.map((d, i) => (
        <span key={i} className={d.severity === "warning" ? "sd-warning" : "sd-error"} data-diagnostic={d.code}>
          {d.explanation || d.message}
        </span>
      ))}
    </>
  );
}

function Field({ label, help, children, id }: { label: string; help?: string; children: ReactNode; id: string }) {
  return (
    <div className="sd-field">
      <label className="sd-field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {help && <small>{help}</small>}
    </div>
  );
}

function useDraft<T>(value: T, show: (v: T) => string): [string, (s: string) => void] {
  const [draft, setDraft] = useState(show(value));
  useEffect(() => setDraft(show(value)), [value]); // eslint-disable-line react-hooks/exhaustive-deps
  return [draft, setDraft];
}

export function TextField(props: Base & { value: string | undefined; onCommit: (v: string | undefined) => void; placeholder?: string; mono?: boolean; validate?: (v: string) => string | null; keepEmpty?: boolean; list?: string }) {
  const id = useId();
  const [draft, setDraft] = useDraft(props.value, (v) => v ?? "");
  const error = props.validate?.(draft) ?? null;
  const commit = () => {
    if (error) return;
    const next = draft === "" && !props.keepEmpty ? undefined : draft;
    if (next !== props.value) props.onCommit(next);
  };
  return (
    <Field label={props.label} help={props.help} id={id}>
      <input
        id={id}
        className={`sd-input${props.mono ? " sd-mono" : ""}${error || props.diagnostics?.length ? " invalid" : ""}`}
        value={draft}
        placeholder={props.placeholder}
        list={props.list}
        data-field={props.field}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === "Enter" && commit()}
      />
      <Messages error={error} diagnostics={props.diagnostics} />
    </Field>
  );
}

export function NumberField(props: Base & { value: Json | undefined; onCommit: (v: number | undefined) => void; min?: number; integer?: boolean; placeholder?: string }) {
  const id = useId();
  const [draft, setDraft] = useDraft(props.value, (v) => (v === undefined || v === null ? "" : String(v)));
  // A `${Name}` definition substitution (SAM's bare `"Seconds": ${Wait}`) is shown as it is
  // and left alone: its number comes when the machine runs.
  const substitution = isPlaceholder(draft.trim()) && draft.trim() === props.value;
  const parsed = draft.trim() === "" || substitution ? undefined : Number(draft);
  let error: string | null = null;
  if (parsed !== undefined && (Number.isNaN(parsed) || (props.integer && !Number.isInteger(parsed)))) error = props.integer ? "Enter a whole number" : "Enter a number";
  else if (parsed !== undefined && props.min !== undefined && parsed < props.min) error = `Must be at least ${props.min}`;
  const commit = () => {
    if (!error && !substitution && parsed !== props.value) props.onCommit(parsed);
  };
  return (
    <Field label={props.label} help={props.help} id={id}>
      <input
        id={id}
        className={`sd-input${error || props.diagnostics?.length ? " invalid" : ""}`}
        inputMode="decimal"
        value={draft}
        placeholder={props.placeholder}
        data-field={props.field}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === "Enter" && commit()}
      />
      <Messages error={error} diagnostics={props.diagnostics} />
    </Field>
  );
}

export function JsonField(props: Base & { value: Json | undefined; onCommit: (v: Json | undefined) => void; rows?: number; placeholder?: string }) {
  const id = useId();
  const [draft, setDraft] = useDraft(props.value, (v) => (v === undefined ? "" : JSON.stringify(v, null, 2)));
  let error: string | null = null;
  let parsed: Json | undefined;
  if (draft.trim()) {
    try {
      parsed = JSON.parse(draft);
    } catch (e) {
      error = `Invalid JSON: ${(e as Error).message}`;
    }
  }
  const commit = () => {
    if (error) return;
    if (JSON.stringify(parsed) !== JSON.stringify(props.value)) props.onCommit(parsed);
  };
  return (
    <Field label={props.label} help={props.help} id={id}>
      <textarea
        id={id}
        className={`sd-textarea sd-mono${error || props.diagnostics?.length ? " invalid" : ""}`}
        rows={props.rows ?? Math.min(10, Math.max(3, draft.split("\n").length))}
        value={draft}
        placeholder={props.placeholder}
        spellCheck={false}
        data-field={props.field}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
      />
      <Messages error={error} diagnostics={props.diagnostics} />
    </Field>
  );
}

export function SelectField(props: Base & { value: string | undefined; options: (string | [string, string])[]; onCommit: (v: string | undefined) => void; empty?: string }) {
  const id = useId();
  const options = props.options.map((o) => (typeof o === "string" ? [o, o] : o));
  const known = props.value === undefined || options.some(([v]) => v === props.value);
  return (
    <Field label={props.label} help={props.help} id={id}>
      <select
        id={id}
        className={`sd-input${props.diagnostics?.length ? " invalid" : ""}`}
        value={props.value ?? ""}
        data-field={props.field}
        onChange={(e) => props.onCommit(e.target.value === "" ? undefined : e.target.value)}
      >
        {props.empty !== undefined && <option value="">{props.empty}</option>}
        {!known && <option value={props.value}>{props.value} (missing)</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      <Messages diagnostics={props.diagnostics} />
    </Field>
  );
}

export function CheckField(props: { label: string; field: string; value: boolean; onCommit: (v: boolean) => void }) {
  const id = useId();
  return (
    <label className="sd-check" htmlFor={id}>
      <input id={id} type="checkbox" checked={props.value} data-field={props.field} onChange={(e) => props.onCommit(e.target.checked)} />
      {props.label}
    </label>
  );
}

export function Section({ title, children, open = true, id, bare }: { title: string; children: ReactNode; open?: boolean; id?: string; bare?: boolean }) {
  // bare: the section is a tab's whole content; its title is the tab's.
  if (bare) return <div className="sd-section sd-section-bare" data-section={id ?? title}>{children}</div>;
  return (
    <details className="sd-section" open={open} data-section={id ?? title}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

/** Text or JSON: for JSONata fields that may be an expression string or a JSON template. */
export function str(v: Json | undefined): string | undefined {
  return typeof v === "string" ? v : v === undefined ? undefined : JSON.stringify(v);
}
