// The Choice rule builder: every comparison operator, And/Or/Not nesting,
// and JSONata Conditions when the state uses JSONata.

import { OPERATORS, OPERAND_KIND, defaultOperand, ruleOperator } from "../asl/operators";
import { choiceRule } from "../asl/templates";
import { isObject, type Json, type JsonObject } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { JsonField, NumberField, Section, SelectField, TextField, str } from "./fields";

type Kind = "compare" | "And" | "Or" | "Not";

function kindOf(rule: JsonObject): Kind {
  if (Array.isArray(rule.And)) return "And";
  if (Array.isArray(rule.Or)) return "Or";
  if (rule.Not !== undefined) return "Not";
  return "compare";
}

/** The rule minus its condition (Next, Comment, Assign, Output stay on a top-level rule). */
function withoutCondition(rule: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(rule)) {
    if (k === "Next" || k === "Comment" || k === "Assign" || k === "Output") out[k] = v;
  }
  return out;
}

function switchKind(rule: JsonObject, kind: Kind): JsonObject {
  const keep = withoutCondition(rule);
  const current = kindOf(rule);
  const inner = current === "compare" ? conditionOnly(rule) : current === "Not" ? (rule.Not as JsonObject) : ((rule[current] as Json[])[0] as JsonObject);
  if (kind === "compare") return { ...(isObject(inner) && current !== "compare" ? conditionOnly(inner) : { Variable: "$.value", StringEquals: "" }), ...keep };
  if (kind === "Not") return { Not: isObject(inner) ? inner : { Variable: "$.value", StringEquals: "" }, ...keep };
  return { [kind]: [isObject(inner) ? inner : { Variable: "$.value", StringEquals: "" }], ...keep };
}

function conditionOnly(rule: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(rule)) if (k !== "Next" && k !== "Comment" && k !== "Assign" && k !== "Output") out[k] = v;
  return out;
}

function Comparison({ rule, onChange, path }: { rule: JsonObject; onChange: (r: JsonObject) => void; path: string }) {
  const op = ruleOperator(rule) ?? "StringEquals";
  const kind = OPERAND_KIND.get(op) ?? "string";
  const value = rule[op];
  const setOp = (next: string | undefined) => {
    if (!next) return;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(rule)) out[k === op ? next : k] = k === op ? (defaultOperand(next, v) as Json) : v;
    if (!(next in out)) out[next] = defaultOperand(next, undefined) as Json;
    onChange(out);
  };
  const setValue = (v: unknown) => onChange({ ...rule, [op]: v as Json });
  return (
    <>
      <TextField label="Variable" field={`${path}.Variable`} mono value={str(rule.Variable)} onCommit={(v) => onChange({ ...rule, Variable: v ?? "" })} placeholder="$.status" keepEmpty />
      <div className="sd-row">
        <SelectField label="Operator" field={`${path}.Operator`} value={op} options={OPERATORS.map(([o]) => o)} onCommit={setOp} />
        {kind === "number" && <NumberField label="Value" field={`${path}.Value`} value={value} onCommit={(v) => setValue(v ?? 0)} />}
        {kind === "boolean" && <SelectField label="Value" field={`${path}.Value`} value={String(value)} options={["true", "false"]} onCommit={(v) => setValue(v === "true")} />}
        {(kind === "string" || kind === "path") && (
          <TextField label={kind === "path" ? "Path" : "Value"} field={`${path}.Value`} mono={kind === "path"} value={typeof value === "string" ? value : undefined} onCommit={(v) => setValue(v ?? "")} keepEmpty />
        )}
      </div>
    </>
  );
}

function Condition({ rule, onChange, path, depth }: { rule: JsonObject; onChange: (r: JsonObject) => void; path: string; depth: number }) {
  const kind = kindOf(rule);
  return (
    <div className={depth ? "sd-card" : ""}>
      <SelectField
        label="Condition"
        field={`${path}.Kind`}
        value={kind}
        options={[
          ["compare", "Comparison"],
          ["And", "All of (And)"],
          ["Or", "Any of (Or)"],
          ["Not", "Not"],
        ]}
        onCommit={(k) => k && onChange(switchKind(rule, k as Kind))}
      />
      {kind === "compare" && <Comparison rule={rule} onChange={onChange} path={path} />}
      {kind === "Not" && isObject(rule.Not) && <Condition rule={rule.Not} onChange={(r) => onChange({ ...rule, Not: r })} path={`${path}.Not`} depth={depth + 1} />}
      {(kind === "And" || kind === "Or") && (
        <>
          {(rule[kind] as Json[]).filter(isObject).map((inner, i, all) => (
            <div key={i}>
              <Condition
                rule={inner}
                path={`${path}.${kind}.${i}`}
                depth={depth + 1}
                onChange={(r) => onChange({ ...rule, [kind]: all.map((x, j) => (j === i ? r : x)) })}
              />
              {all.length > 1 && (
                <button type="button" className="sd-btn sd-btn-small sd-btn-danger" onClick={() => onChange({ ...rule, [kind]: all.filter((_, j) => j !== i) })}>
                  Remove condition
                </button>
              )}
            </div>
          ))}
          <button type="button" className="sd-btn sd-btn-small" onClick={() => onChange({ ...rule, [kind]: [...(rule[kind] as Json[]), { Variable: "$.value", StringEquals: "" }] })}>
            Add condition
          </button>
        </>
      )}
    </div>
  );
}

export function ChoiceRules({ state, targets, jsonata, onChange, diag }: { state: JsonObject; targets: string[]; jsonata: boolean; onChange: (changes: Record<string, unknown>) => void; diag: (field: string) => Diagnostic[] }) {
  const rules = (Array.isArray(state.Choices) ? state.Choices : []).filter(isObject);
  const setRule = (i: number, r: JsonObject) => onChange({ Choices: rules.map((x, j) => (j === i ? r : x)) });
  return (
    <Section title={`Choice rules (${rules.length})`} id="Choices">
      {rules.length === 0 && <p className="sd-hint sd-hint-inline">A Choice needs at least one rule.</p>}
      {rules.map((rule, i) => (
        <div className="sd-card" key={i} data-rule={i}>
          <div className="sd-card-head">
            Rule #{i + 1}
            <span className="sd-spacer" />
            <button type="button" className="sd-btn sd-btn-small" disabled={i === 0} aria-label="Move rule up" onClick={() => onChange({ Choices: rules.map((_, j) => rules[j === i - 1 ? i : j === i ? i - 1 : j]) })}>
              ↑
            </button>
            <button type="button" className="sd-btn sd-btn-small sd-btn-danger" onClick={() => onChange({ Choices: rules.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </div>
          {jsonata ? (
            <TextField label="Condition" field={`Choices.${i}.Condition`} mono value={str(rule.Condition)} onCommit={(v) => setRule(i, { ...rule, Condition: v ?? "" })} placeholder="{% $states.input.status = 'DONE' %}" keepEmpty />
          ) : (
            <Condition rule={rule} path={`Choices.${i}`} depth={0} onChange={(r) => setRule(i, r)} />
          )}
          <SelectField
            label="Then go to"
            field={`Choices.${i}.Next`}
            value={typeof rule.Next === "string" && rule.Next ? rule.Next : undefined}
            options={targets}
            empty="(open: choose a state)"
            onCommit={(v) => setRule(i, { ...rule, Next: v ?? "" })}
            diagnostics={diag(`Choices.${i}.Next`)}
          />
          <TextField label="Comment" field={`Choices.${i}.Comment`} value={str(rule.Comment)} onCommit={(v) => setRule(i, v === undefined ? conditionOnlyAndNext(rule) : { ...rule, Comment: v })} />
          <JsonField label="Assign" field={`Choices.${i}.Assign`} value={rule.Assign} onCommit={(v) => setRule(i, v === undefined ? dropKey(rule, "Assign") : { ...rule, Assign: v })} />
        </div>
      ))}
      <button type="button" className="sd-btn sd-btn-small" data-action="add-rule" onClick={() => onChange({ Choices: [...rules, choiceRule(jsonata)] })}>
        Add rule
      </button>
      <SelectField
        label="Default"
        field="Default"
        value={typeof state.Default === "string" ? state.Default : undefined}
        options={targets}
        empty="(no default: fail with States.NoChoiceMatched)"
        onCommit={(v) => onChange({ Default: v })}
        help="Where to go when no rule matches"
        diagnostics={diag("Default")}
      />
    </Section>
  );
}

function dropKey(rule: JsonObject, key: string): JsonObject {
  const out = { ...rule };
  delete out[key];
  return out;
}
const conditionOnlyAndNext = (rule: JsonObject) => dropKey(rule, "Comment");
