import { describe, expect, it } from "vitest";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import { initialState } from "../store/store";
import { createProjector, deriveFlow } from "./derive";

const doc: StateMachine = {
  StartAt: "P",
  States: {
    P: { Type: "Parallel", Next: "Done", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }] },
    Done: { Type: "Succeed" },
  },
};

describe("deriveFlow", () => {
  it("projects states, containers and markers with the layout's positions", () => {
    const state = { ...initialState(doc), layout: { P: { x: 10, y: 20, width: 300, height: 200 } } };
    const { nodes } = deriveFlow(toGraph(doc), state);
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    expect(byId.P.type).toBe("container");
    expect(byId.P.position).toEqual({ x: 10, y: 20 });
    expect(byId.P.width).toBe(300);
    expect(byId["P/#b0"].type).toBe("scope");
    expect(byId["P/#b0/A"].parentId).toBe("P/#b0");
    expect(byId["#start"].type).toBe("marker");
    // Parents come before children, as React Flow requires.
    expect(nodes.findIndex((n) => n.id === "P")).toBeLessThan(nodes.findIndex((n) => n.id === "P/#b0/A"));
  });

  it("a dragged node wins over the layout, and its edges drop the stale route", () => {
    const base = initialState(doc);
    const state = {
      ...base,
      layout: { P: { x: 0, y: 0, width: 300, height: 200 } },
      routes: { "P>next": { points: [{ x: 0, y: 0 }, { x: 0, y: 10 }] } },
      manualPositions: { P: { x: 99, y: 98 } },
    };
    const { nodes, edges } = deriveFlow(toGraph(doc), state);
    expect(nodes.find((n) => n.id === "P")!.position).toEqual({ x: 99, y: 98 });
    expect(edges.find((e) => e.id === "P>next")!.data!.route).toBeUndefined();
  });

  it("puts diagnostics on the node they point into", () => {
    const state = { ...initialState(doc), diagnostics: [{ code: "X", severity: "error" as const, message: "m", location: "/States/P/Branches/0/States/A/Next" }] };
    const { nodes } = deriveFlow(toGraph(doc), state);
    expect(nodes.find((n) => n.id === "P/#b0/A")!.data.diagnostics).toHaveLength(1);
    expect(nodes.find((n) => n.id === "P")!.data.diagnostics).toHaveLength(0);
  });
});

describe("createProjector", () => {
  it("hands back the same objects for nodes whose drawing did not change", () => {
    const project = createProjector();
    const base = { ...initialState(doc), layout: { P: { x: 0, y: 0, width: 300, height: 200 } } };
    const first = project(toGraph(doc), base);
    // Selecting a state: only that node is new.
    const second = project(toGraph(doc), { ...base, selection: { nodes: ["Done"], edges: [] } });
    const changed = second.nodes.filter((n, i) => n !== first.nodes[i]).map((n) => n.id);
    expect(changed).toEqual(["Done"]);
    expect(second.edges).toBe(first.edges);
    // A field edit of one state (a new document sharing the others): only that node.
    const edited = { ...doc, States: { ...doc.States, Done: { Type: "Succeed", Comment: "ok" } } };
    const third = project(toGraph(edited), { ...base, doc: edited, selection: { nodes: ["Done"], edges: [] } });
    expect(third.nodes.filter((n, i) => n !== second.nodes[i]).map((n) => n.id)).toEqual(["Done"]);
  });
});
