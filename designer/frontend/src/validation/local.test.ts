import { describe, expect, it } from "vitest";
import { localDiagnostics } from "./local";

describe("localDiagnostics", () => {
  it("says nothing about a correct machine", () => {
    expect(localDiagnostics({ StartAt: "A", States: { A: { Type: "Pass", End: true } } })).toEqual([]);
  });
  it("points at a Next to a missing state and at the state that never runs", () => {
    const d = localDiagnostics({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nope" }, B: { Type: "Succeed" } } });
    expect(d.map((x) => [x.code, x.location])).toEqual([
      ["MISSING_TRANSITION_TARGET", "/States/A/Next"],
      ["UNREACHABLE", "/States/B"],
    ]);
  });
  it("checks inside Parallel branches", () => {
    const d = localDiagnostics({ StartAt: "P", States: { P: { Type: "Parallel", End: true, Branches: [{ StartAt: "", States: {} }] } } });
    expect(d[0].location).toBe("/States/P/Branches/0/States");
  });
});
