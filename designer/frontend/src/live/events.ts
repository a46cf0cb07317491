// The event history table: id, type, step, elapsed, time. Virtualised: only the rows in
// view exist in the DOM, so 25,000 events scroll as smoothly as 25; filtering rebuilds an
// index array, never rows.

import { clear, formatTime, h } from "./dom";
import { eventDetail } from "./eventDetail";
import type { ExecutionModel, HistoryEvent } from "./model";

const ROW_H = 30;
const OVERSCAN = 10;
// One row at a time opens below itself to this height (its JSON scrolls inside), so the
// virtual rows keep fixed offsets: every row after the open one moves down by DETAIL_H.
const DETAIL_H = 300;
// The table grows with its rows up to this height, then scrolls.
const MAX_VIEW_H = 480;

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
  /** The seq of the expanded event, if one is. */
  private open: number | null = null;

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

  /** Open (or close) a row's details; the page also selects the event's state. */
  toggle(seq: number): void {
    this.open = this.open === seq ? null : seq;
    this.drawn = "";
    this.render();
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
    const openRow = this.open === null ? -1 : this.rows.findIndex((i) => this.model.events[i].seq === this.open);
    const extra = openRow >= 0 ? DETAIL_H : 0;
    const offset = (r: number) => r * ROW_H + (openRow >= 0 && r > openRow ? extra : 0);
    const full = total * ROW_H + extra;
    this.spacer.style.height = `${full}px`;
    const v = this.viewport;
    // Sized to its content: a short history leaves no empty box below it.
    const want = `${Math.max(ROW_H * 2, Math.min(MAX_VIEW_H + (extra ? DETAIL_H : 0), full))}px`;
    if (v.style.height !== want) v.style.height = want;
    const height = v.clientHeight || MAX_VIEW_H;
    const rowAt = (y: number) => {
      if (openRow < 0 || y < (openRow + 1) * ROW_H) return Math.floor(y / ROW_H);
      if (y < (openRow + 1) * ROW_H + extra) return openRow;
      return Math.floor((y - extra) / ROW_H);
    };
    const first = Math.max(0, rowAt(v.scrollTop) - OVERSCAN);
    const last = Math.min(total, rowAt(v.scrollTop + height) + 1 + OVERSCAN);
    const key = `${first}:${last}:${total}:${openRow}`;
    if (key !== this.drawn) {
      this.drawn = key;
      this.body.style.transform = `translateY(${offset(first)}px)`;
      const start = this.model.startMs;
      const frag = document.createDocumentFragment();
      for (let r = first; r < last; r++) {
        const i = this.rows[r];
        const e = this.model.events[i];
        const ms = Date.parse(e.timestamp);
        // Aborted is grey, as on the graph: cut short, not an error of its own.
        const cls = /(Failed|TimedOut)$/.test(e.type) ? "ev-row bad" : /Aborted$/.test(e.type) ? "ev-row cut" : /Succeeded$/.test(e.type) ? "ev-row good" : "ev-row";
        const expanded = r === openRow;
        const row = h("div", { class: `${cls}${expanded ? " open" : ""}`, role: "row", "data-seq": e.seq, "aria-expanded": expanded ? "true" : "false", tabindex: 0,
          onclick: () => this.onPick(e.seq),
          onkeydown: ((ev: KeyboardEvent) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); this.onPick(e.seq); } }) as EventListener },
          h("div", {}, h("span", { class: "ev-caret", "aria-hidden": "true" }, expanded ? "▾" : "▸"), ` ${e.seq}`), h("div", { class: "ev-type" }, e.type), h("div", {}, this.model.steps[i]),
          h("div", {}, `${Math.max(0, ms - start)} ms`), h("div", { class: "muted" }, formatTime(ms)));
        frag.append(row);
        if (expanded) frag.append(eventDetail(e, DETAIL_H));
      }
      this.body.replaceChildren(frag);
    }
    if (this.follow && full > height) {
      const bottom = full - height;
      if (Math.abs(v.scrollTop - bottom) > 1) v.scrollTop = bottom;
    }
  }
}
