import { describe, expect, it } from "vitest";
import { localDiagnostics } from "./local";

describe("localDiagnostics", () => {
  it("says nothing about a correct machine", () => {
    expect(localDiagnostics({ StartAt: "A", States: { A: { Type: "Pass", End: true } } })).toEqual([]);
  });

  it("points at a Next to a missing state and at the state that never runs, as AWS does (both errors)", () => {
    const d = localDiagnostics({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nope" }, B: { Type: "Succeed" } } });
    expect(d.map((x) => [x.code, x.severity, x.location, x.message])).toEqual([
      ["MISSING_TRANSITION_TARGET", "error", "/States/A/Next", 'Next: there is no state named "Nope"'],
      ["MISSING_TRANSITION_TARGET", "error", "/States/B", "This state is never reached: connect a state to it, or delete it"],
    ]);
  });

  it("checks inside Parallel branches", () => {
    const d = localDiagnostics({ StartAt: "P", States: { P: { Type: "Parallel", End: true, Branches: [{ StartAt: "", States: {} }] } } });
    expect(d[0].location).toBe("/States/P/Branches/0/States");
    expect(d[0].message).toBe("States: this branch has no states yet: drop one in it");
  });

  it("names the field and never prints an empty target", () => {
    const d = localDiagnostics({
      StartAt: "C",
      States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "a", Next: "" }], Default: "D" }, D: { Type: "Succeed" }, E: { Type: "Choice", Choices: [] } },
    });
    const messages = d.map((x) => x.message);
    expect(messages).toContain("Rule #1 Next: choose the state this rule goes to (or drop one on its open end)");
    expect(messages).toContain("Choices: a Choice state needs at least one rule");
    expect(messages.every((m) => !/target:\s*$/.test(m))).toBe(true);
  });
});
