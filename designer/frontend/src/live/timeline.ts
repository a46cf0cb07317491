// Timeline (Gantt) of state visits: one bar per visit from StateEntered to StateExited;
// inside a retried task, each attempt is its own segment and the waits between attempts
// (retry backoff) are hatched, so time spent working and time spent waiting read apart.

import { clear, formatDuration, h } from "./dom";
import type { ExecutionModel, Visit } from "./model";
import { ticks } from "./ticks";

const MAX_ROWS = 400;

export class Timeline {
  constructor(private root: HTMLElement, private model: ExecutionModel, private onPick: (visit: Visit) => void) {}

  render(now = Date.now()): void {
    const m = this.model;
    const start = m.startMs;
    const end = m.stopMs ?? Math.max(now, start + 1);
    const span = Math.max(1, end - start);
    const pct = (t: number) => `${(((t - start) / span) * 100).toFixed(3)}%`;
    const width = (a: number, b: number) => `${Math.max(0.15, ((b - a) / span) * 100).toFixed(3)}%`;
    const visits = m.visits.slice(0, MAX_ROWS);
    const rows = visits.map((v) => {
      const stop = v.endMs ?? end;
      const status = m.visitStatus(v);
      const bar = h("div", { class: `tl-bar ${status}`, style: `left:${pct(v.startMs)};width:${width(v.startMs, stop)}`, title: `${v.name}: ${formatDuration(stop - v.startMs)}` });
      v.attempts.forEach((a, i) => {
        const aEnd = a.endMs ?? stop;
        bar.append(h("div", { class: `tl-attempt ${a.outcome}`, style: `left:${rel(a.startMs, v.startMs, stop)};width:${relW(a.startMs, aEnd, v.startMs, stop)}`, title: `Attempt ${i + 1}: ${a.outcome}${a.error ? ` (${a.error})` : ""}, ${formatDuration(aEnd - a.startMs)}` }));
        const next = v.attempts[i + 1];
        if (next && a.endMs !== undefined) {
          bar.append(h("div", { class: "tl-backoff", style: `left:${rel(a.endMs, v.startMs, stop)};width:${relW(a.endMs, next.startMs, v.startMs, stop)}`, title: `Retry backoff ${formatDuration(next.startMs - a.endMs)}` }));
        }
      });
      const label = h("div", { class: "tl-label", title: v.iteration ? `${v.iteration} / ${v.name}` : v.name },
        h("span", { class: `dot ${status}` }), v.name, v.iteration ? h("span", { class: "muted small" }, ` ${v.iteration}`) : null);
      return h("div", { class: "tl-row", onclick: () => this.onPick(v) }, label,
        h("div", { class: "tl-track" }, bar), h("div", { class: "tl-dur muted small" }, formatDuration(stop - v.startMs)));
    });
    const marks = ticks(span);
    // The tracks' grid lines fall on the ticks.
    if (marks.length > 1) this.root.style.setProperty("--tl-step", `${((marks[1].at / span) * 100).toFixed(3)}%`);
    const axis = h("div", { class: "tl-row tl-axis" }, h("div", { class: "tl-label" }),
      h("div", { class: "tl-track" }, ...marks.map((t) => h("span", { style: `left:${((t.at / span) * 100).toFixed(3)}%` }, t.label))),
      h("div", { class: "tl-dur muted small" }, formatDuration(span)));
    clear(this.root);
    this.root.append(axis, ...rows);
    if (m.visits.length > MAX_ROWS) this.root.append(h("p", { class: "muted small pad" }, `Showing the first ${MAX_ROWS} of ${m.visits.length} state visits.`));
    if (!m.visits.length) this.root.append(h("p", { class: "muted pad" }, "No state has started yet."));
  }
}

function rel(t: number, a: number, b: number): string {
  return `${(((t - a) / Math.max(1, b - a)) * 100).toFixed(3)}%`;
}

function relW(t0: number, t1: number, a: number, b: number): string {
  return `${Math.max(1, ((t1 - t0) / Math.max(1, b - a)) * 100).toFixed(3)}%`;
}
