// Entry of the monitoring pages (engine/templates/monitoring/page.html): draws the two
// charts from the report the server embedded, and moves to another machine's page when
// the selector changes. Exposes window.stepstudio.monitoring for tests.

import "./monitoring.css";
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from "chart.js";
import { durationDatasets, executionDatasets, formatMs, type Report } from "./series";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController,
  LineElement, LogarithmicScale, PointElement, Tooltip);

declare global {
  interface Window {
    stepstudio?: Record<string, unknown>;
  }
}

const el = document.getElementById("monitoring-data");
const report = el ? (JSON.parse(el.textContent ?? "null") as Report) : null;

function draw(report: Report) {
  const executions = new Chart(document.getElementById("executions-chart") as HTMLCanvasElement, {
    type: "bar",
    data: executionDatasets(report),
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: true, ticks: { maxTicksLimit: 12, autoSkip: true } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
  const duration = new Chart(document.getElementById("duration-chart") as HTMLCanvasElement, {
    type: "line",
    data: durationDatasets(report),
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { ticks: { maxTicksLimit: 12, autoSkip: true } },
        y: { type: "logarithmic", ticks: { callback: (v) => formatMs(Number(v)) } },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatMs(Number(c.parsed.y))}` } },
      },
    },
  });
  return { executions, duration };
}

const charts = report ? draw(report) : null;

const select = document.getElementById("mon-machine") as HTMLSelectElement | null;
select?.addEventListener("change", () => {
  window.location.href = `${select.value}?range=${encodeURIComponent(select.dataset.range ?? "24h")}`;
});

window.stepstudio = { ...(window.stepstudio ?? {}), monitoring: { report, charts } };
