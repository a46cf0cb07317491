import { describe, expect, it } from "vitest";
import type { StateMachine } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { carryOver } from "./carry";
import { localDiagnostics } from "./local";

const before: StateMachine = {
  StartAt: "A",
  States: {
    A: { Type: "Task", Resource: "arn:nowhere", Next: "B" },
    B: { Type: "Pass", Parameters: { x: "$.y" }, End: true },
  },
};
const server: Diagnostic[] = [
  { code: "SCHEMA_VALIDATION_FAILED", severity: "error", message: "The resource provided arn:nowhere is not recognized.", location: "/States/A/Resource", source: "server" },
  { code: "NO_DOLLAR", severity: "warning", message: "looks like a path", location: "/States/B/Parameters/x", source: "server" },
  { code: "MISSING_TRANSITION_TARGET", severity: "error", message: 'State "C" is not reachable.', location: "/States/C", source: "server" },
];

describe("carryOver", () => {
  it("keeps the server's findings about untouched states until its next answer", () => {
    const after = { ...before, States: { ...before.States, A: { ...before.States.A, Comment: "edited" } } };
    const out = carryOver(server, before, after, localDiagnostics(after));
    // A was edited: its finding waits for the server; B's stays; graph findings are local.
    expect(out.map((d) => d.code)).toEqual(["NO_DOLLAR"]);
  });

  it("shows the local checks alone before the server has answered", () => {
    const local = localDiagnostics(before);
    expect(carryOver(server, null, before, local)).toBe(local);
  });
});
