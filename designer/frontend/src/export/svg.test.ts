import { describe, expect, it } from "vitest";
import { toGraph } from "../asl/toGraph";
import { escapeXml, graphToSvg } from "./svg";

describe("graphToSvg", () => {
  it("escapes state names", () => {
    const doc = { StartAt: "<b>&x", States: { "<b>&x": { Type: "Succeed" } } };
    const svg = graphToSvg(toGraph(doc), { "<b>&x": { x: 0, y: 0, width: 200, height: 52 } }, {});
    expect(svg).toContain(escapeXml("<b>&x"));
    expect(svg).not.toContain("<b>&x");
  });
});
