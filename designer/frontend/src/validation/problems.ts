// The Problems panel's rows: every diagnostic of the document (and the Definition tab's
// JSON error, when there is one) with where it is — the state to select and the form
// field to focus — worded as the server explains it. Pure, so the mapping is tested
// without a browser.

import { parseStateId } from "../asl/ids";
import { isObject, type StateMachine } from "../asl/types";
import type { CodeError, DesignerState, Diagnostic } from "../store/store";
import { describeCodeError } from "./jsonError";
import { locate } from "./locate";

export interface Problem {
  key: string;
  severity: Diagnostic["severity"];
  code: string;
  /** What to read: names the field, says what to do. */
  text: string;
  /** "json": the Definition tab's text does not parse; else a finding in the document. */
  kind: "json" | "diagnostic";
  /** The state to select (null: the machine's own fields). */
  nodeId: string | null;
  /** Who it is about, as shown: a state's name, "State machine" or "Definition". */
  where: string;
  /** Path of the field inside the state (or machine), e.g. ["Choices", "0", "Next"]. */
  field: string[];
  location: string;
  codeError?: CodeError;
}

/** A machine without a single state: a fresh canvas, not a list of errors. */
export function isEmptyMachine(doc: StateMachine): boolean {
  return isObject(doc.States) && Object.keys(doc.States).length === 0;
}

const RANK: Record<Diagnostic["severity"], number> = { error: 0, warning: 1, info: 2 };

export function toProblems(state: Pick<DesignerState, "doc" | "diagnostics" | "codeError">): Problem[] {
  const out: Problem[] = [];
  if (state.codeError) {
    out.push({
      key: "json",
      severity: "error",
      code: "INVALID_JSON_DESCRIPTION",
      text: describeCodeError(state.codeError),
      kind: "json",
      nodeId: null,
      where: "Definition",
      field: [],
      location: "",
      codeError: state.codeError,
    });
  }
  if (isEmptyMachine(state.doc)) return out;
  const found = state.diagnostics.map((d, i): Problem => {
    const at = locate(d.field || d.location);
    return {
      key: `${i}:${d.code}:${d.location}`,
      severity: d.severity,
      code: d.code,
      text: d.explanation || d.message,
      kind: "diagnostic",
      nodeId: at.nodeId,
      where: at.nodeId ? parseStateId(at.nodeId).name : "State machine",
      field: at.field,
      location: d.location,
    };
  });
  // Errors first (they block Save); the validator's order within each severity.
  found.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return [...out, ...found];
}

export function countProblems(problems: Problem[]): { errors: number; warnings: number } {
  const errors = problems.filter((p) => p.severity === "error").length;
  return { errors, warnings: problems.filter((p) => p.severity === "warning").length };
}

/** Inspector tab that holds a field: Workflow Studio's Configuration, Input/Output, Error handling. */
export type InspectorTab = "config" | "io" | "errors";

const IO_FIELDS = new Set(["InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath", "Arguments", "Output", "Assign", "Items", "ItemSelector"]);

export function tabOf(field: string[]): InspectorTab {
  const first = field[0];
  if (first === "Retry" || first === "Catch") return "errors";
  if (first && IO_FIELDS.has(first)) return "io";
  return "config";
}

/** data-field names to try, most precise first: the form's field for the pointer, then its parents. */
export function fieldCandidates(field: string[]): string[] {
  const out: string[] = [];
  const parts = [...field];
  // A rule's comparison operand is the form's "Value"; Wait's duration fields share one selector.
  if (parts[0] === "Choices" && parts.length >= 3 && !["Next", "Variable", "Comment", "Assign", "Condition"].includes(parts[2])) {
    out.push(`Choices.${parts[1]}.Value`, `Choices.${parts[1]}.Variable`);
  }
  for (let n = parts.length; n > 0; n--) out.push(parts.slice(0, n).join("."));
  if (["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].includes(parts[0])) out.push("WaitMode");
  if (parts[0] === "End") out.push("Next");
  return [...new Set(out)];
}
