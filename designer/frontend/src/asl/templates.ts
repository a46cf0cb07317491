// What a state looks like when it is first dropped on the canvas.

import type { State, StatesScope } from "./types";

const emptyScope = (): StatesScope => ({ StartAt: "", States: {} });

export function stateTemplate(type: string): State {
  switch (type) {
    case "Pass":
      return { Type: "Pass", End: true };
    case "Task":
      return { Type: "Task", Resource: "", End: true };
    case "Choice":
      return { Type: "Choice", Choices: [] };
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
