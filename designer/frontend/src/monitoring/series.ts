// The monitoring page's report (engine/metrics/monitoring.py) as Chart.js datasets: kept
// apart from the drawing so the mapping is tested without a canvas.

export interface Point {
  t: string;
  started: number;
  succeeded: number;
  failed: number;
  timed_out: number;
  aborted: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Report {
  range: string;
  step_seconds: number;
  series: Point[];
}

export const STATUS_COLOURS: Record<string, string> = {
  succeeded: "#2f9e44",
  failed: "#e03131",
  timed_out: "#f08c00",
  aborted: "#868e96",
};

const STATUS_LABELS: Record<string, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  timed_out: "Timed out",
  aborted: "Aborted",
};

/** A point's label: the time of day for ranges of a day or less, else the date and hour. */
export function label(iso: string, stepSeconds: number): string {
  const d = new Date(iso);
  const hm = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  if (stepSeconds < 3600) return hm;
  return `${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")} ${hm}`;
}

export function executionDatasets(report: Report) {
  const labels = report.series.map((p) => label(p.t, report.step_seconds));
  const datasets = [
    ...Object.keys(STATUS_LABELS).map((status) => ({
      type: "bar" as const,
      label: STATUS_LABELS[status],
      data: report.series.map((p) => p[status as keyof Point] as number),
      backgroundColor: STATUS_COLOURS[status],
      stack: "stopped",
    })),
    {
      type: "line" as const,
      label: "Started",
      data: report.series.map((p) => p.started),
      borderColor: "#1c7ed6",
      backgroundColor: "#1c7ed6",
      pointRadius: 0,
      borderWidth: 2,
      stepped: "middle" as const,
    },
  ];
  return { labels, datasets };
}

export function durationDatasets(report: Report) {
  const labels = report.series.map((p) => label(p.t, report.step_seconds));
  const colours: Record<string, string> = { p50: "#1c7ed6", p95: "#f08c00", p99: "#e03131" };
  const datasets = (["p50", "p95", "p99"] as const).map((q) => ({
    label: q,
    data: report.series.map((p) => p[q]),
    borderColor: colours[q],
    backgroundColor: colours[q],
    spanGaps: true,
    pointRadius: 2,
    borderWidth: 2,
  }));
  return { labels, datasets };
}

/** Milliseconds as a person reads them (the page's tables use the same steps). */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
