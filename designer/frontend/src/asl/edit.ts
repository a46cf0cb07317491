// Pure edits of an ASL document. Command handlers wrap these; keeping them
// pure makes every edit testable without a canvas and trivially reversible.

import type { GraphEdge } from "./graph";
import { ROOT_SCOPE, parseStateId } from "./ids";
import { getScope, getState, listScopes, setState, updateScope } from "./scopes";
import { choiceRule, hasOwnTransition } from "./templates";
import { isObject, type JsonObject, type State, type StateMachine, type StatesScope } from "./types";

/**
 * Rewrite every transition of a state. `fn` returns the new target, or null
 * to drop the transition: a Next becomes End, a rule becomes open, a catcher is removed.
 */
export function mapTransitions(state: State, fn: (target: string) => string | null): State {
  const out: State = { ...state };
  if (typeof out.Next === "string") {
    const t = fn(out.Next);
    if (t === null) {
      delete out.Next;
      if (hasOwnTransition(state.Type)) out.End = true;
    } else out.Next = t;
  }
  if (typeof out.Default === "string") {
    const t = fn(out.Default);
    if (t === null) delete out.Default;
    else out.Default = t;
  }
  for (const key of ["Choices", "Catch"] as const) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    out[key] = list.flatMap((item) => {
      if (!isObject(item) || typeof item.Next !== "string" || item.Next === "") return [item];
      const t = fn(item.Next);
      // A rule keeps its condition and becomes open (a drop target); a catcher goes.
      if (t === null) return key === "Choices" ? [{ ...item, Next: "" }] : [];
      return [{ ...item, Next: t }];
    });
  }
  return out;
}

/** Every state name in the whole document (names are kept unique machine-wide, as AWS asks). */
export function allStateNames(doc: StateMachine): Set<string> {
  const names = new Set<string>();
  for (const scope of listScopes(doc)) {
    for (const name of Object.keys(getScope(doc, scope)?.States ?? {})) names.add(name);
  }
  return names;
}

export function freshName(doc: StateMachine, base: string, taken: Set<string> = allStateNames(doc)): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} ${i}`)) return `${base} ${i}`;
}

export function addState(doc: StateMachine, scope: string, name: string, state: State): StateMachine {
  return updateScope(doc, scope, (s) => ({
    ...s,
    StartAt: s.StartAt && s.StartAt in s.States ? s.StartAt : Object.keys(s.States).length === 0 ? name : s.StartAt,
    States: { ...s.States, [name]: state },
  }));
}

/**
 * Remove a state. Whatever pointed at it now points at its successor (the
 * console does the same), or ends when it had none.
 */
export function deleteState(doc: StateMachine, id: string): StateMachine {
  const { scope, name } = parseStateId(id);
  const removed = getState(doc, id);
  if (!removed) return doc;
  const successor = typeof removed.Next === "string" && removed.Next !== name ? removed.Next : null;
  return updateScope(doc, scope, (s) => {
    const States: StatesScope["States"] = {};
    for (const [n, st] of Object.entries(s.States)) {
      if (n !== name) States[n] = mapTransitions(st, (t) => (t === name ? successor : t));
    }
    const StartAt = s.StartAt === name ? (successor ?? Object.keys(States)[0] ?? "") : s.StartAt;
    return { ...s, StartAt, States };
  });
}

export function renameState(doc: StateMachine, id: string, newName: string): StateMachine {
  const { scope, name } = parseStateId(id);
  if (name === newName) return doc;
  return updateScope(doc, scope, (s) => {
    const States: StatesScope["States"] = {};
    for (const [n, st] of Object.entries(s.States)) {
      States[n === name ? newName : n] = mapTransitions(st, (t) => (t === name ? newName : t));
    }
    return { ...s, StartAt: s.StartAt === name ? newName : s.StartAt, States };
  });
}

/** Change fields of a state; `undefined` removes a field. New keys go last, existing keys keep their place. */
export function updateStateFields(doc: StateMachine, id: string, changes: Record<string, unknown>): StateMachine {
  const state = getState(doc, id);
  if (!state) return doc;
  return setState(doc, id, applyChanges(state, changes) as State);
}

export function applyChanges<T extends JsonObject>(obj: T, changes: Record<string, unknown>): T {
  const out: JsonObject = { ...obj };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v as JsonObject[string];
  }
  return out as T;
}

export type ConnectKind = "next" | "choice" | "default" | "catch";

export const newChoiceRule = choiceRule;

/** Index of the first Choice rule still without a target, or -1. */
export function openRuleIndex(state: State | null): number {
  const rules = state && Array.isArray(state.Choices) ? state.Choices : [];
  return rules.findIndex((r) => isObject(r) && (r.Next === undefined || r.Next === ""));
}

export function usesJsonata(doc: StateMachine, state: State | null): boolean {
  const ql = state && typeof state.QueryLanguage === "string" ? state.QueryLanguage : doc.QueryLanguage;
  return ql === "JSONata";
}

/** Draw a transition from `sourceId` to a state of the same scope. */
export function connect(doc: StateMachine, sourceId: string, targetName: string, kind: ConnectKind): StateMachine {
  const state = getState(doc, sourceId);
  if (!state) return doc;
  switch (kind) {
    case "next": {
      const out: State = { ...state, Next: targetName };
      delete out.End;
      return setState(doc, sourceId, out);
    }
    case "default":
      return setState(doc, sourceId, { ...state, Default: targetName });
    case "choice": {
      const rules = Array.isArray(state.Choices) ? [...state.Choices] : [];
      // Dragging a rule's arrow fills the first rule still open before it adds a new one.
      const open = openRuleIndex(state);
      if (open >= 0) rules[open] = { ...(rules[open] as JsonObject), Next: targetName };
      else rules.push(newChoiceRule(usesJsonata(doc, state), targetName));
      return setState(doc, sourceId, { ...state, Choices: rules });
    }
    case "catch": {
      const catchers = Array.isArray(state.Catch) ? state.Catch : [];
      return setState(doc, sourceId, { ...state, Catch: [...catchers, { ErrorEquals: ["States.ALL"], Next: targetName }] });
    }
  }
}

/** Point the transition an edge stands for at another state (null removes it). */
export function setEdgeTarget(doc: StateMachine, edge: GraphEdge, targetName: string | null): StateMachine {
  if (edge.kind === "start") {
    return updateScope(doc, ROOT_SCOPE, (s) => ({ ...s, StartAt: targetName ?? "" }));
  }
  const state = getState(doc, edge.source);
  if (!state) return doc;
  const out: State = { ...state };
  switch (edge.kind) {
    case "next":
      if (targetName === null) {
        delete out.Next;
        out.End = true;
      } else out.Next = targetName;
      break;
    case "end":
      // An End edge retargeted means the state now continues somewhere.
      if (targetName !== null && hasOwnTransition(state.Type)) {
        delete out.End;
        out.Next = targetName;
      }
      break;
    case "default":
      if (targetName === null) delete out.Default;
      else out.Default = targetName;
      break;
    case "choice":
    case "catch": {
      const key = edge.kind === "choice" ? "Choices" : "Catch";
      const list = [...((out[key] as JsonObject[]) ?? [])];
      if (targetName === null) list.splice(edge.index!, 1);
      else list[edge.index!] = { ...list[edge.index!], Next: targetName };
      out[key] = list;
      break;
    }
  }
  return setState(doc, edge.source, out);
}

/**
 * Put a new state on an edge: the edge now leads to the new state, and the
 * new state leads where the edge used to.
 */
export function insertOnEdge(doc: StateMachine, edge: GraphEdge, name: string, template: State): StateMachine {
  const scope = edge.kind === "start" ? ROOT_SCOPE : parseStateId(edge.source).scope;
  const state: State = { ...template };
  const oldTarget = edge.kind === "end" || edge.target.endsWith("#end") ? null : (edge.targetName ?? null);
  // On a Choice rule's open end, the new state continues where the Choice's Default goes
  // (the flow the Choice was inserted into), so the branches meet again.
  const source = edge.open ? getState(doc, edge.source) : null;
  const downstream = edge.open ? (typeof source?.Default === "string" && source.Default ? source.Default : null) : oldTarget;
  if (hasOwnTransition(state.Type)) {
    delete state.Next;
    delete state.End;
    if (downstream) state.Next = downstream;
    else state.End = true;
  } else if (state.Type === "Choice" && downstream && state.Default === undefined) {
    // A Choice dropped on an arrow keeps the old downstream as its Default.
    state.Default = downstream;
  }
  let out = updateScope(doc, scope, (s) => ({ ...s, States: { ...s.States, [name]: state } }));
  out = setEdgeTarget(out, edge, name);
  return out;
}

/** Add copied states to a scope under fresh names, keeping transitions among them. */
export function pasteStates(doc: StateMachine, scope: string, states: Record<string, State>): { doc: StateMachine; names: string[] } {
  const taken = allStateNames(doc);
  const renames = new Map<string, string>();
  for (const name of Object.keys(states)) {
    const fresh = freshName(doc, name, taken);
    taken.add(fresh);
    renames.set(name, fresh);
  }
  const existing = new Set(Object.keys(getScope(doc, scope)?.States ?? {}));
  let out = doc;
  for (const [name, state] of Object.entries(states)) {
    const copy = mapTransitions(state, (t) => renames.get(t) ?? (existing.has(t) ? t : null));
    out = addState(out, scope, renames.get(name)!, copy);
  }
  return { doc: out, names: [...renames.values()] };
}
