import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import { layout } from "./elk";

const elk = new ELK();
const run = (g: Parameters<typeof elk.layout>[0]) => elk.layout(g);

describe("layout", () => {
  it("places a chain top-down: Start above the first state above the next, End last", async () => {
    const doc: StateMachine = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } };
    const { positions: p } = await layout(toGraph(doc), run);
    expect(p["#start"].y).toBeLessThan(p.A.y);
    expect(p.A.y).toBeLessThan(p.B.y);
    expect(p.B.y).toBeLessThan(p["#end"].y);
  });

  it("sizes a Parallel around its branches, side by side, children relative to their container", async () => {
    const branch = (n: string) => ({ StartAt: n, States: { [n]: { Type: "Pass", End: true } } });
    const doc: StateMachine = { StartAt: "P", States: { P: { Type: "Parallel", Branches: [branch("X"), branch("Y")], End: true } } };
    const { positions: p } = await layout(toGraph(doc), run);
    expect(p["P/#b0"].y).toBe(p["P/#b1"].y);
    expect(p["P/#b0"].x).not.toBe(p["P/#b1"].x);
    expect(p.P.width).toBeGreaterThan(p["P/#b0"].width + p["P/#b1"].width);
    expect(p["P/#b0/X"].x).toBeLessThan(p["P/#b0"].width);
  });
});

describe("layout of a large machine", () => {
  it("lays out a 60-state chain with loops and catches (the fast strategies) without errors", async () => {
    const States: Record<string, any> = {};
    for (let i = 0; i < 60; i++) {
      const next = i < 59 ? `S${i + 1}` : "Done";
      States[`S${i}`] =
        i % 6 === 5
          ? { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: `S${i - 3}` }], Default: next }
          : { Type: "Task", Resource: "r", Next: next, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }] };
    }
    States.Done = { Type: "Succeed" };
    States.Failed = { Type: "Fail" };
    const { positions: p } = await layout(toGraph({ StartAt: "S0", States }), run);
    expect(p.S0.y).toBeLessThan(p.S30.y);
    expect(p.S30.y).toBeLessThan(p.S59.y);
    expect(p["#end"].y).toBeGreaterThan(p.S59.y);
  });
});
