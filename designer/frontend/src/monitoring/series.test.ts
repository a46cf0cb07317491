import { describe, expect, it } from "vitest";
import { durationDatasets, executionDatasets, formatMs, label, type Report } from "./series";

const report: Report = {
  range: "24h",
  step_seconds: 1800,
  series: [
    { t: "2026-12-06T10:00:00+00:00", started: 5, succeeded: 3, failed: 1, timed_out: 0, aborted: 1, p50: 120, p95: 900, p99: null },
    { t: "2026-12-06T10:30:00+00:00", started: 0, succeeded: 0, failed: 0, timed_out: 2, aborted: 0, p50: null, p95: null, p99: null },
  ],
};

describe("monitoring series", () => {
  it("stacks stopped executions by status and draws starts as a line", () => {
    const { labels, datasets } = executionDatasets(report);
    expect(labels).toEqual(["10:00", "10:30"]);
    expect(datasets.map((d) => d.label)).toEqual(["Succeeded", "Failed", "Timed out", "Aborted", "Started"]);
    expect(datasets[1].data).toEqual([1, 0]);
    expect(datasets[2].data).toEqual([0, 2]);
    expect(datasets[4]).toMatchObject({ type: "line", data: [5, 0] });
  });

  it("keeps empty percentile points as gaps, not zeros", () => {
    const { datasets } = durationDatasets(report);
    expect(datasets.map((d) => d.label)).toEqual(["p50", "p95", "p99"]);
    expect(datasets[0].data).toEqual([120, null]);
  });

  it("labels long ranges with the date and formats durations", () => {
    expect(label("2026-12-06T10:00:00+00:00", 3 * 3600)).toBe("12-06 10:00");
    expect(formatMs(950)).toBe("950 ms");
    expect(formatMs(1500)).toBe("1.50 s");
    expect(formatMs(90_000)).toBe("1.5 min");
  });
});
