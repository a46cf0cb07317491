import { describe, expect, it } from "vitest";
import { READABLE_ZOOM, fitViewport } from "./viewport";

const pane = { width: 1000, height: 700 };

describe("fitViewport", () => {
  it("fits a small graph whole", () => {
    const v = fitViewport({ x: 0, y: 0, width: 400, height: 300 }, pane, null);
    expect(v.zoom).toBeGreaterThan(1);
    // centred
    expect(v.x + 200 * v.zoom).toBeCloseTo(500);
  });

  it("never zooms a big graph below a readable zoom: it shows its top instead", () => {
    const v = fitViewport({ x: 0, y: 0, width: 3000, height: 20000 }, pane, null);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(v.y).toBe(24); // the top of the graph (Start) at the top of the pane
  });

  it("centres the selection when there is one", () => {
    const v = fitViewport({ x: 0, y: 0, width: 3000, height: 20000 }, pane, { x: 1000, y: 9000, width: 200, height: 52 });
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(v.x + 1100 * v.zoom).toBeCloseTo(500);
    expect(v.y + 9026 * v.zoom).toBeCloseTo(350);
  });
});
