import { describe, expect, it } from "vitest";
import { centreOn, clampZoom, MAX_ZOOM, MIN_ZOOM, zoomAt } from "./panzoom";

describe("live graph zoom", () => {
  it("keeps the point under the pointer in place", () => {
    const v = zoomAt({ x: 10, y: 20, zoom: 1 }, 2, 110, 220);
    expect(v.zoom).toBe(2);
    // The graph point under (110, 220) was (100, 200); it is still there.
    expect(100 * v.zoom + v.x).toBeCloseTo(110);
    expect(200 * v.zoom + v.y).toBeCloseTo(220);
  });

  it("stays within its zoom limits", () => {
    expect(clampZoom(100)).toBe(MAX_ZOOM);
    expect(clampZoom(0)).toBe(MIN_ZOOM);
    expect(zoomAt({ x: 0, y: 0, zoom: MAX_ZOOM }, 2, 0, 0).zoom).toBe(MAX_ZOOM);
  });

  it("centres a box in the pane", () => {
    const v = centreOn({ x: 100, y: 100, width: 200, height: 50 }, { width: 800, height: 600 }, 1);
    expect([v.x + 200 * v.zoom, v.y + 125 * v.zoom]).toEqual([400, 300]);
  });
});
