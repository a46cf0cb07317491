// The ASL document as the designer holds it. States stay loosely typed JSON
// objects so that fields the designer does not know (new AWS features,
// `${Placeholder}` substitutions) survive an import/export round trip.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export const STATE_TYPES = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"] as const;
export type StateType = (typeof STATE_TYPES)[number];

export interface State extends JsonObject {
  Type: string;
}

/** A scope of states: the machine itself, a Parallel branch or a Map processor. */
export interface StatesScope extends JsonObject {
  StartAt: string;
  States: { [name: string]: State };
}

export interface StateMachine extends StatesScope {}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The key under which a Map state keeps its processor (`Iterator` is the legacy name). */
export function mapProcessorKey(state: JsonObject): "ItemProcessor" | "Iterator" | null {
  if (isObject(state.ItemProcessor)) return "ItemProcessor";
  if (isObject(state.Iterator)) return "Iterator";
  return null;
}

export function emptyMachine(): StateMachine {
  return { StartAt: "", States: {} };
}

/** JSON equality that ignores key order (what "round trip" means for ASL). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
