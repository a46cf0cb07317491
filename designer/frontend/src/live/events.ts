// The event history table: id, type, step, elapsed, time. Virtualised: only the rows in
// view exist in the DOM, so 25,000 events scroll as smoothly as 25; filtering rebuilds an
// index array, never rows.

import { clear, formatTime, h } from "./dom";
import type { ExecutionModel, HistoryEvent } from "./model";

const ROW_H = 30;
const OVERSCAN = 10;

const KINDS: Record<string, (e: HistoryEvent) => boolean> = {
  all: () => true,
  states: (e) => /State(Entered|Exited)$/.test(e.type),
  tasks: (e) => /^(LambdaFunction|Task|Activity)/.test(e.type),
  errors: (e) => /(Failed|TimedOut|Aborted)$/.test(e.type),
  map: (e) => /^(Map|Parallel)/.test(e.type),
  execution: (e) => e.type.startsWith("Execution"),
};

export class EventTable {
  private viewport: HTMLElement;
  private spacer: HTMLElement;
  private body: HTMLElement;
  private countEl: HTMLElement;
  private rows: number[] = [];
  private kind = "all";
  private text = "";
  private drawn = "";
  // Stick to the newest event only once the reader has scrolled to the bottom.
  private follow = false;

  constructor(root: HTMLElement, filtersRoot: HTMLElement, private model: ExecutionModel, private onPick: (seq: number) => void) {
    const kind = h("select", { "aria-label": "Event type", "data-filter": "kind" },
      ...Object.entries({ all: "All events", states: "State transitions", tasks: "Task events", errors: "Errors", map: "Map & Parallel", execution: "Execution" })
        .map(([value, label]) => h("option", { value }, label)));
    kind.addEventListener("change", () => { this.kind = (kind as HTMLSelectElement).value; this.refilter(); });
    const search = h("input", { type: "search", placeholder: "Filter by step or type", "aria-label": "Filter events", "data-filter": "text" });
    search.addEventListener("input", () => { this.text = (search as HTMLInputElement).value.trim().toLowerCase(); this.refilter(); });
    this.countEl = h("span", { class: "muted small", "data-live": "shown-count" });
    clear(filtersRoot);
    filtersRoot.append(kind, search, this.countEl);

    const head = h("div", { class: "ev-row ev-head", role: "row" },
      ...["ID", "Type", "Step", "Elapsed", "Timestamp"].map((t) => h("div", { role: "columnheader" }, t)));
    this.spacer = h("div", { class: "ev-spacer" });
    this.body = h("div", { class: "ev-rows", role: "rowgroup" });
    this.viewport = h("div", { class: "ev-viewport", tabindex: 0 }, this.spacer, this.body);
    this.viewport.addEventListener("scroll", () => {
      const v = this.viewport;
      this.follow = v.scrollTop + v.clientHeight >= v.scrollHeight - ROW_H;
      this.render();
    });
    clear(root);
    root.append(h("div", { class: "ev-table", role: "table", "aria-label": "Event history" }, head, this.viewport));
  }

  /** New events were added to the model (in order). */
  added(from: number): void {
    for (let i = from; i < this.model.events.length; i++) if (this.matches(i)) this.rows.push(i);
    this.render();
  }

  /** The model was cut back or replaced (replay): rebuild the rows; `toEnd` keeps the
   * newest row in view. */
  reset(toEnd = false): void {
    if (toEnd) this.follow = true;
    this.refilter();
  }

  private matches(i: number): boolean {
    const e = this.model.events[i];
    if (!KINDS[this.kind](e)) return false;
    return !this.text || e.type.toLowerCase().includes(this.text) || this.model.steps[i].toLowerCase().includes(this.text);
  }

  private refilter(): void {
    this.rows = [];
    for (let i = 0; i < this.model.events.length; i++) if (this.matches(i)) this.rows.push(i);
    this.drawn = "";
    this.render();
  }

  private render(): void {
    const total = this.rows.length;
    this.countEl.textContent = `${total} of ${this.model.events.length}`;
    this.spacer.style.height = `${total * ROW_H}px`;
    const v = this.viewport;
    const height = v.clientHeight || 480;
    const first = Math.max(0, Math.floor(v.scrollTop / ROW_H) - OVERSCAN);
    const last = Math.min(total, Math.ceil((v.scrollTop + height) / ROW_H) + OVERSCAN);
    const key = `${first}:${last}:${total}`;
    if (key !== this.drawn) {
      this.drawn = key;
      this.body.style.transform = `translateY(${first * ROW_H}px)`;
      const start = this.model.startMs;
      const frag = document.createDocumentFragment();
      for (let r = first; r < last; r++) {
        const i = this.rows[r];
        const e = this.model.events[i];
        const ms = Date.parse(e.timestamp);
        const cls = /(Failed|TimedOut|Aborted)$/.test(e.type) ? "ev-row bad" : /Succeeded$/.test(e.type) ? "ev-row good" : "ev-row";
        const row = h("div", { class: cls, role: "row", "data-seq": e.seq, onclick: () => this.onPick(e.seq) },
          h("div", {}, e.seq), h("div", { class: "ev-type" }, e.type), h("div", {}, this.model.steps[i]),
          h("div", {}, `${Math.max(0, ms - start)} ms`), h("div", { class: "muted" }, formatTime(ms)));
        frag.append(row);
      }
      this.body.replaceChildren(frag);
    }
    if (this.follow && total * ROW_H > height) {
      const bottom = total * ROW_H - height;
      if (Math.abs(v.scrollTop - bottom) > 1) v.scrollTop = bottom;
    }
  }
}
