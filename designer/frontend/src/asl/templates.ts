// What a state looks like when it is first dropped on the canvas.

import type { JsonObject, State, StatesScope } from "./types";

const emptyScope = (): StatesScope => ({ StartAt: "", States: {} });

/**
 * A new Choice rule. Without a target it is open: the canvas draws its end as a drop
 * target, and the validator asks for it ("Rule #1 Next: choose the state …"). It never
 * points at some existing state by default (that would often be an upstream one: a loop
 * nobody asked for).
 */
export function choiceRule(jsonata: boolean, target = ""): JsonObject {
  return jsonata ? { Condition: "{% true %}", Next: target } : { Variable: "$.value", StringEquals: "", Next: target };
}

export function stateTemplate(type: string, jsonata = false): State {
  switch (type) {
    case "Pass":
      return { Type: "Pass", End: true };
    case "Task":
      return { Type: "Task", Resource: "", End: true };
    case "Choice":
      // One open rule (drop its first state on it); inserted on an arrow, the arrow's old
      // target becomes the Default (edit.insertOnEdge).
      return { Type: "Choice", Choices: [choiceRule(jsonata)] };
    case "Wait":
      return { Type: "Wait", Seconds: 5, End: true };
    case "Succeed":
      return { Type: "Succeed" };
    case "Fail":
      return { Type: "Fail" };
    case "Parallel":
      return { Type: "Parallel", Branches: [emptyScope(), emptyScope()], End: true };
    case "Map":
      return { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...emptyScope() }, End: true };
    default:
      throw new Error(`unknown state type ${type}`);
  }
}

/** States that may not have Next/End of their own. */
export function hasOwnTransition(type: string): boolean {
  return type !== "Choice" && type !== "Succeed" && type !== "Fail";
}

export function canCatch(type: string): boolean {
  return type === "Task" || type === "Parallel" || type === "Map";
}
