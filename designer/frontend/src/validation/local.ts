// Quick structural checks run in the browser on every edit, so the canvas reacts at once
// and still says something when the server validator is unreachable. The server's
// POST /api/validate/ stays the authority: when it answers, its diagnostics replace these.
// Codes and severities are AWS's (an unreachable state is an error there too), and the
// messages are worded as the server's `explanation`s, so nothing changes colour or
// wording when the server's answer lands.

import { isObject, type Json, type JsonObject } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { pointerFor } from "./locate";

const TYPES = new Set(["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]);
const CONTINUING = new Set(["Pass", "Task", "Wait", "Parallel", "Map"]);
const WAIT_FIELDS = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
const SCHEMA = "SCHEMA_VALIDATION_FAILED";
const TARGET = "MISSING_TRANSITION_TARGET";

type Path = (string | number)[];

export function localDiagnostics(definition: Json): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (path: Path, code: string, message: string, severity: Diagnostic["severity"] = "error") =>
    out.push({ code, severity, message, location: pointerFor(path), source: "local" });

  const scope = (obj: JsonObject, at: Path) => {
    const where = at.length === 0 ? "the workflow" : at[at.length - 2] === "Branches" ? "this branch" : "the Map's item processor";
    if (!isObject(obj.States)) return add([...at, "States"], SCHEMA, "States: must be an object of states");
    const states = obj.States;
    const names = Object.keys(states);
    if (names.length === 0) add([...at, "States"], SCHEMA, at.length ? `States: ${where} has no states yet: drop one in it` : "States: add at least one state");
    if (typeof obj.StartAt !== "string" || !(obj.StartAt in states)) {
      const start = typeof obj.StartAt === "string" ? obj.StartAt : "";
      add([...at, "StartAt"], TARGET, start ? `StartAt: there is no state named "${start}"` : `StartAt: choose the state ${where} starts with`);
    }
    const reached = new Set<string>();
    const target = (path: Path, label: string, name: Json | undefined, empty: string) => {
      if (typeof name === "string" && name in states) reached.add(name);
      else if (typeof name !== "string" || name === "") add(path, TARGET, `${label}: ${empty}`);
      else add(path, TARGET, `${label}: there is no state named "${name}"${at.length ? ` in ${where}` : ""}`);
    };
    let terminal = false;
    for (const name of names) {
      const state = states[name];
      const p = [...at, "States", name];
      if (!isObject(state)) {
        add(p, SCHEMA, "A state must be an object");
        continue;
      }
      const type = String(state.Type);
      if (state.End === true || type === "Succeed" || type === "Fail") terminal = true;
      if (!TYPES.has(type)) add([...p, "Type"], SCHEMA, `Type: "${type}" is not a state type`);
      if (CONTINUING.has(type)) {
        const hasNext = state.Next !== undefined;
        if (!hasNext && state.End !== true) add([...p, "Next"], SCHEMA, "Next: choose the next state, or end here (End)");
        else if (hasNext && state.End === true) add([...p, "Next"], SCHEMA, "Next and End: a state either goes on (Next) or ends (End), not both");
      } else if (state.Next !== undefined || state.End !== undefined) {
        add([...p, state.Next !== undefined ? "Next" : "End"], SCHEMA, `${state.Next !== undefined ? "Next" : "End"}: a ${type} state has no Next or End`);
      }
      if (state.Next !== undefined && state.End !== true) target([...p, "Next"], "Next", state.Next, "choose the next state, or end here");
      if (type === "Task" && (typeof state.Resource !== "string" || !state.Resource)) {
        add([...p, "Resource"], SCHEMA, "Resource: choose what this Task calls (a task handler, a function or a service action)");
      }
      if (type === "Wait" && WAIT_FIELDS.filter((f) => state[f] !== undefined).length !== 1) {
        add([...p, "Seconds"], SCHEMA, "Seconds: set how long to wait (Seconds, SecondsPath, Timestamp or TimestampPath)");
      }
      if (type === "Choice") {
        if (!Array.isArray(state.Choices) || state.Choices.length === 0) add([...p, "Choices"], SCHEMA, "Choices: a Choice state needs at least one rule");
        else
          state.Choices.forEach((r, i) =>
            isObject(r)
              ? target([...p, "Choices", i, "Next"], `Rule #${i + 1} Next`, r.Next, "choose the state this rule goes to (or drop one on its open end)")
              : add([...p, "Choices", i], SCHEMA, `Rule #${i + 1}: must be an object`),
          );
        if (state.Default !== undefined) target([...p, "Default"], "Default", state.Default, "choose the state to go to when no rule matches");
      }
      if (Array.isArray(state.Catch)) {
        state.Catch.forEach((c, i) => isObject(c) && target([...p, "Catch", i, "Next"], `Catcher #${i + 1} Next`, c.Next, "choose the state that handles the error"));
      }
      if (type === "Parallel") {
        if (!Array.isArray(state.Branches) || state.Branches.length === 0) add([...p, "Branches"], SCHEMA, "Branches: a Parallel state needs at least one branch");
        else state.Branches.forEach((b, i) => isObject(b) && scope(b, [...p, "Branches", i]));
      }
      if (type === "Map") {
        const key = isObject(state.ItemProcessor) ? "ItemProcessor" : isObject(state.Iterator) ? "Iterator" : null;
        if (!key) add([...p, "ItemProcessor"], SCHEMA, "ItemProcessor: required");
        else scope(state[key] as JsonObject, [...p, key]);
      }
    }
    if (names.length && !terminal) add(at, "MISSING_END_STATE", `No state ends ${where}: set End on the last state, or add a Succeed or Fail state`);
    if (typeof obj.StartAt === "string") reached.add(obj.StartAt);
    for (const name of names) if (!reached.has(name)) add([...at, "States", name], TARGET, "This state is never reached: connect a state to it, or delete it");
  };

  if (!isObject(definition)) return [{ code: SCHEMA, severity: "error", message: "A definition is a JSON object", location: "", source: "local" }];
  scope(definition, []);
  return out;
}
