import { describe, expect, it } from "vitest";
import { emptyMachine, type StateMachine } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { countProblems, fieldCandidates, tabOf, toProblems } from "./problems";

const doc: StateMachine = {
  StartAt: "P",
  States: {
    P: { Type: "Parallel", End: true, Branches: [{ StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "a" }] } } }] },
  },
};

const warning: Diagnostic = { code: "NO_DOLLAR", severity: "warning", message: "looks like a path", location: "/States/P/Parameters/x" };
const error: Diagnostic = {
  code: "SCHEMA_VALIDATION_FAILED",
  severity: "error",
  message: "These fields are required: [Next]",
  location: "/States/P/Branches/0/States/C/Choices/0",
  explanation: "Rule #1 Next: choose the state this rule goes to",
  field: "/States/P/Branches/0/States/C/Choices/0/Next",
};

describe("toProblems", () => {
  it("lists errors before warnings, located at the state and field the server names", () => {
    const problems = toProblems({ doc, diagnostics: [warning, error], codeError: null });
    expect(problems.map((p) => p.severity)).toEqual(["error", "warning"]);
    const [first] = problems;
    expect(first.nodeId).toBe("P/#b0/C");
    expect(first.where).toBe("C");
    expect(first.field).toEqual(["Choices", "0", "Next"]);
    expect(first.text).toBe("Rule #1 Next: choose the state this rule goes to");
    expect(countProblems(problems)).toEqual({ errors: 1, warnings: 1 });
  });

  it("puts machine-level findings on the machine", () => {
    const [p] = toProblems({ doc, diagnostics: [{ code: "MISSING_END_STATE", severity: "error", message: "Workflow has no terminal state", location: "" }], codeError: null });
    expect(p.nodeId).toBeNull();
    expect(p.where).toBe("State machine");
  });

  it("leads with the Definition tab's JSON error", () => {
    const problems = toProblems({ doc, diagnostics: [error], codeError: { message: "Expected ',' or '}' after a property value", line: 12, column: 4, offset: 200 } });
    expect(problems[0]).toMatchObject({ kind: "json", severity: "error", text: "JSON: line 12, column 4: Expected ',' or '}' after a property value" });
    expect(problems).toHaveLength(2);
  });

  it("shows a new, empty machine without errors", () => {
    const empty = emptyMachine();
    const diagnostics: Diagnostic[] = [
      { code: "SCHEMA_VALIDATION_FAILED", severity: "error", message: "Value cannot be empty", location: "/States" },
      { code: "MISSING_TRANSITION_TARGET", severity: "error", message: "Missing 'Next' target: ", location: "/StartAt" },
    ];
    expect(toProblems({ doc: empty, diagnostics, codeError: null })).toEqual([]);
  });
});

describe("fields and tabs", () => {
  it("sends each field to Workflow Studio's tab", () => {
    expect(tabOf(["Resource"])).toBe("config");
    expect(tabOf(["Choices", "0", "Next"])).toBe("config");
    expect(tabOf(["ResultPath"])).toBe("io");
    expect(tabOf(["Catch", "1", "Next"])).toBe("errors");
  });

  it("finds the form field for a pointer, then its parents", () => {
    expect(fieldCandidates(["Choices", "0", "Next"])).toEqual(["Choices.0.Next", "Choices.0", "Choices"]);
    expect(fieldCandidates(["Choices", "1", "NumericEquals"])[0]).toBe("Choices.1.Value");
    expect(fieldCandidates(["Parameters", "x"])).toEqual(["Parameters.x", "Parameters"]);
    expect(fieldCandidates(["SecondsPath"])).toContain("WaitMode");
  });
});
