import { describe, expect, it } from "vitest";
import { DEFAULT_SIDE_WIDTH, MIN_SIDE_WIDTH, clampSideWidth, loadSideWidth, saveSideWidth } from "./sidePanel";

describe("side panel width", () => {
  it("stays between a usable minimum and what leaves the canvas room", () => {
    expect(clampSideWidth(100, 1440)).toBe(MIN_SIDE_WIDTH);
    expect(clampSideWidth(700, 1440)).toBe(700);
    expect(clampSideWidth(5000, 1440)).toBe(1440 - 560);
  });

  it("is remembered", () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    expect(loadSideWidth(storage, 1440)).toBe(DEFAULT_SIDE_WIDTH);
    saveSideWidth(storage, 640);
    expect(loadSideWidth(storage, 1440)).toBe(640);
    expect(loadSideWidth(storage, 1000)).toBe(440); // a smaller window still fits the canvas
  });
});
