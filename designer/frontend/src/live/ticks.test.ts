import { describe, expect, it } from "vitest";
import { formatTick, niceStep, ticks } from "./ticks";

describe("timeline ticks", () => {
  it("steps at 1, 2 or 5 times a power of ten, and clock steps beyond ten seconds", () => {
    expect(niceStep(12_800)).toBe(2000);
    expect(niceStep(472)).toBe(100);
    expect(niceStep(3)).toBe(0.5);
    expect(niceStep(0.8)).toBe(0.2);
    expect(niceStep(100_000)).toBe(30_000);
    expect(niceStep(4 * 3_600_000)).toBe(3_600_000);
  });

  it("labels neighbouring ticks differently, without noise digits", () => {
    for (const span of [0.8, 3, 47, 472, 1234, 12_800, 100_000, 7_200_000]) {
      const labels = ticks(span).map((t) => t.label);
      expect(new Set(labels).size, `${span}: ${labels}`).toBe(labels.length);
      expect(labels.length).toBeGreaterThanOrEqual(2);
      for (const l of labels) expect(l).not.toMatch(/\d\.\d{4}/);
    }
    expect(ticks(12_800).map((t) => t.label)).toEqual(["0", "2 s", "4 s", "6 s", "8 s", "10 s", "12 s"]);
    expect(ticks(30).map((t) => t.label)).toEqual(["0", "5 ms", "10 ms", "15 ms", "20 ms", "25 ms", "30 ms"]);
    expect(ticks(0.8).map((t) => t.label)).toEqual(["0", "0.2 ms", "0.4 ms", "0.6 ms", "0.8 ms"]);
    expect(formatTick(1500, 500)).toBe("1.5 s");
    expect(ticks(1234).map((t) => t.label)).toEqual(["0", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1.0 s", "1.2 s"]);
    expect(ticks(472).map((t) => t.label)).toEqual(["0", "100 ms", "200 ms", "300 ms", "400 ms"]);
  });
});
