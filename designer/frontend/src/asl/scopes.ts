// Reading and immutably rewriting nested scopes of an ASL document, addressed
// by the scope ids of ids.ts ("" = machine, "Par/#b0" = first branch of Par,
// "Map/#p" = Map's item processor).

import { ROOT_SCOPE, parseStateId, stateId } from "./ids";
import { isObject, mapProcessorKey, type JsonObject, type State, type StateMachine, type StatesScope } from "./types";

type Step = { name: string; marker: string };

function steps(scope: string): Step[] {
  if (scope === ROOT_SCOPE) return [];
  const parts = scope.split("/");
  const out: Step[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) out.push({ name: decodeURIComponent(parts[i]), marker: parts[i + 1] });
  return out;
}

function childScope(state: JsonObject, marker: string): StatesScope | null {
  if (marker.startsWith("#b")) {
    const branches = state.Branches;
    const b = Array.isArray(branches) ? branches[Number(marker.slice(2))] : undefined;
    return isObject(b) && isObject(b.States) ? (b as StatesScope) : null;
  }
  if (marker === "#p") {
    const key = mapProcessorKey(state);
    const p = key ? state[key] : null;
    return isObject(p) && isObject(p.States) ? (p as StatesScope) : null;
  }
  return null;
}

function withChildScope(state: State, marker: string, next: StatesScope): State {
  if (marker.startsWith("#b")) {
    const branches = [...(state.Branches as JsonObject[])];
    branches[Number(marker.slice(2))] = next;
    return { ...state, Branches: branches };
  }
  const key = mapProcessorKey(state) ?? "ItemProcessor";
  return { ...state, [key]: next };
}

export function getScope(doc: StateMachine, scope: string): StatesScope | null {
  let current: StatesScope | null = doc;
  for (const step of steps(scope)) {
    const state: State | undefined = current?.States[step.name];
    current = state ? childScope(state, step.marker) : null;
    if (!current) return null;
  }
  return current;
}

/** Return a new document with the scope replaced by `fn(scope)`. */
export function updateScope(doc: StateMachine, scope: string, fn: (s: StatesScope) => StatesScope): StateMachine {
  const path = steps(scope);
  const rec = (current: StatesScope, i: number): StatesScope => {
    if (i === path.length) return fn(current);
    const { name, marker } = path[i];
    const state = current.States[name];
    const child = childScope(state, marker);
    if (!child) throw new Error(`no scope ${scope}`);
    return { ...current, States: { ...current.States, [name]: withChildScope(state, marker, rec(child, i + 1)) } };
  };
  return rec(doc, 0) as StateMachine;
}

export function getState(doc: StateMachine, id: string): State | null {
  const { scope, name } = parseStateId(id);
  const s = getScope(doc, scope);
  return s && Object.prototype.hasOwnProperty.call(s.States, name) ? s.States[name] : null;
}

/** Replace one state keeping its place in the States object (key order is what users see exported). */
export function setState(doc: StateMachine, id: string, state: State): StateMachine {
  const { scope, name } = parseStateId(id);
  return updateScope(doc, scope, (s) => ({ ...s, States: { ...s.States, [name]: state } }));
}

/** Every scope id of the document, outermost first. */
export function listScopes(doc: StateMachine): string[] {
  const out: string[] = [];
  const walk = (scope: StatesScope, id: string) => {
    out.push(id);
    for (const [name, state] of Object.entries(scope.States)) {
      const sid = stateId(id, name);
      if (Array.isArray(state.Branches)) {
        state.Branches.forEach((_, i) => {
          const child = childScope(state, `#b${i}`);
          if (child) walk(child, `${sid}/#b${i}`);
        });
      }
      const p = childScope(state, "#p");
      if (p) walk(p, `${sid}/#p`);
    }
  };
  walk(doc, ROOT_SCOPE);
  return out;
}

/** A state name not yet used in the scope, derived from `base`. */
export function uniqueName(scope: StatesScope, base: string): string {
  if (!(base in scope.States)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base} ${i}`;
    if (!(candidate in scope.States)) return candidate;
  }
}
