// Quick structural checks run in the browser on every edit, so the canvas
// reacts at once and still says something when the server validator is
// unreachable. The server's POST /api/validate/ stays the authority: when it
// answers, its diagnostics replace these.

import { isObject, type Json, type JsonObject } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { pointerFor } from "./locate";

const TYPES = new Set(["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]);
const CONTINUING = new Set(["Pass", "Task", "Wait", "Parallel", "Map"]);
const WAIT_FIELDS = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

export function localDiagnostics(definition: Json): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (path: (string | number)[], code: string, message: string, severity: Diagnostic["severity"] = "error") =>
    out.push({ code, severity, message, location: pointerFor(path), source: "local" });

  const scope = (obj: JsonObject, at: (string | number)[]) => {
    if (!isObject(obj.States)) return add([...at, "States"], "STATES_MISSING", "States must be an object");
    const names = Object.keys(obj.States);
    if (names.length === 0) add([...at, "States"], "STATES_EMPTY", "Add at least one state");
    if (typeof obj.StartAt !== "string" || !(obj.StartAt in obj.States)) {
      if (names.length) add([...at, "StartAt"], "START_AT_MISSING", `StartAt "${String(obj.StartAt ?? "")}" is not a state`);
    }
    const reached = new Set<string>();
    const target = (path: (string | number)[], name: Json) => {
      if (typeof name !== "string" || !(name in (obj.States as JsonObject))) add(path, "MISSING_TRANSITION_TARGET", `No state named "${String(name)}"`);
      else reached.add(name);
    };
    for (const name of names) {
      const state = (obj.States as JsonObject)[name];
      const p = [...at, "States", name];
      if (!isObject(state)) {
        add(p, "STATE_NOT_OBJECT", "A state must be an object");
        continue;
      }
      const type = String(state.Type);
      if (!TYPES.has(type)) add([...p, "Type"], "UNKNOWN_TYPE", `Unknown state type "${type}"`);
      if (CONTINUING.has(type)) {
        const hasNext = state.Next !== undefined;
        if (hasNext === (state.End === true)) add(p, "NEXT_OR_END", `${name} needs exactly one of Next or End`);
      } else if (state.Next !== undefined || state.End !== undefined) {
        add(p, "NO_NEXT_ALLOWED", `A ${type} state has no Next or End`);
      }
      if (state.Next !== undefined) target([...p, "Next"], state.Next);
      if (type === "Task" && (typeof state.Resource !== "string" || !state.Resource)) add([...p, "Resource"], "RESOURCE_MISSING", "A Task needs a Resource");
      if (type === "Wait" && WAIT_FIELDS.filter((f) => state[f] !== undefined).length !== 1) {
        add(p, "WAIT_MODE", "A Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
      }
      if (type === "Choice") {
        if (!Array.isArray(state.Choices) || state.Choices.length === 0) add([...p, "Choices"], "CHOICES_EMPTY", "A Choice needs at least one rule");
        else state.Choices.forEach((r, i) => (isObject(r) ? target([...p, "Choices", i, "Next"], r.Next) : add([...p, "Choices", i], "RULE_NOT_OBJECT", "A rule must be an object")));
        if (state.Default !== undefined) target([...p, "Default"], state.Default);
      }
      if (Array.isArray(state.Catch)) state.Catch.forEach((c, i) => isObject(c) && target([...p, "Catch", i, "Next"], c.Next));
      if (type === "Parallel") {
        if (!Array.isArray(state.Branches) || state.Branches.length === 0) add([...p, "Branches"], "BRANCHES_EMPTY", "A Parallel needs at least one branch");
        else state.Branches.forEach((b, i) => isObject(b) && scope(b, [...p, "Branches", i]));
      }
      if (type === "Map") {
        const key = isObject(state.ItemProcessor) ? "ItemProcessor" : isObject(state.Iterator) ? "Iterator" : null;
        if (!key) add(p, "PROCESSOR_MISSING", "A Map needs an ItemProcessor");
        else scope(state[key] as JsonObject, [...p, key]);
      }
    }
    if (typeof obj.StartAt === "string") reached.add(obj.StartAt);
    for (const name of names) if (!reached.has(name)) add([...at, "States", name], "UNREACHABLE", `${name} is never reached`, "warning");
  };

  if (!isObject(definition)) return [{ code: "NOT_OBJECT", severity: "error", message: "A definition is a JSON object", location: "", source: "local" }];
  scope(definition, []);
  return out;
}
