// Replay on the execution page: a scrubber over the history, event by event, jumps to a
// state's Nth visit, and play at 1×, 10×, 100× of the execution's own pace. While it is on,
// the page's graph, step details, timeline and events table show `view` — a stand-in for the
// model as it was after the chosen event (Reconstruction) — and new live events only
// lengthen the scrubber.

import { clear, formatDuration, formatTime, h } from "../dom";
import type { ExecutionModel, HistoryEvent } from "../model";
import { Reconstruction } from "./reconstruct";
import "./replay.css";

export interface ReplayHost {
  /** The live model (every event received so far). */
  live(): ExecutionModel;
  /** An empty model for the same graph. */
  fresh(): ExecutionModel;
  /** Show `model` in every view (the replay stand-in, or the live model again). */
  bind(model: ExecutionModel): void;
  /** Redraw the views; `now`: the moment shown (ms). */
  redraw(now: number | undefined): void;
  /** Select a state (by graph node id) and show one of its visits. */
  reveal(node: string, visitIndex: number): void;
  /** State names by graph node id (the jump list). */
  stateName(node: string): string | undefined;
}

const SPEEDS = [1, 10, 100];
/** Longer pauses in the history (Waits, back-offs) are skipped when playing. */
const MAX_IDLE_MS = 1500;

export class ReplayBar {
  active = false;
  private recon: Reconstruction | null = null;
  private position = 0;
  private speed = 1;
  private playing = false;
  private frame = 0;
  private clock = 0;
  private lastTick = 0;
  private pending = false;
  private readonly root: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly view: ExecutionModel;
  private controls: Record<string, HTMLElement> = {};

  constructor(anchor: HTMLElement, private host: ReplayHost) {
    this.toggle = h("button", { type: "button", class: "button", "data-action": "replay", title: "Step through the history as it happened" }, "Replay") as HTMLButtonElement;
    this.toggle.addEventListener("click", () => (this.active ? this.exit() : this.enter()));
    this.root = h("section", { class: "panel replay-bar", "aria-label": "Replay", hidden: true, "data-replay": "bar" });
    anchor.before(this.root);
    document.querySelector(".live-actions")?.prepend(this.toggle);
    // Reads go to whichever model the reconstruction holds now (it swaps models when it
    // starts again from a checkpoint); methods run on that model.
    this.view = new Proxy({} as ExecutionModel, {
      get: (_, key) => {
        const model = this.recon!.seek(this.position);
        // Durations of what was still running end at the moment shown, not now.
        if (key === "stopMs" && model.status === "RUNNING" && this.position) return this.timeOf(this.position);
        const value = Reflect.get(model, key, model);
        return typeof value === "function" ? value.bind(model) : value;
      },
    });
  }

  private get total(): number {
    return this.host.live().events.length;
  }

  private event(n: number): HistoryEvent | undefined {
    return this.host.live().events[n - 1];
  }

  enter(at?: number): void {
    if (!this.active) {
      this.active = true;
      this.recon = new Reconstruction(() => this.host.live().events, () => this.host.fresh());
      // The end is the live model as it is; checkpoints for moving back are built in slices.
      this.recon.startAt(this.host.live(), this.total);
      const recon = this.recon;
      const warm = () => {
        if (this.recon === recon && recon.warm()) setTimeout(warm, 0);
      };
      setTimeout(warm, 0);
      this.toggle.textContent = "Exit replay";
      this.toggle.setAttribute("aria-pressed", "true");
      this.build();
      this.root.hidden = false;
      this.host.bind(this.view);
    }
    this.seek(at ?? this.total);
  }

  exit(): void {
    if (!this.active) return;
    this.pause();
    this.active = false;
    this.recon = null;
    this.root.hidden = true;
    this.toggle.textContent = "Replay";
    this.toggle.setAttribute("aria-pressed", "false");
    this.host.bind(this.host.live());
    this.host.redraw(undefined);
  }

  /** New live events arrived: the scrubber grows; what is shown stays where it is. */
  grew(): void {
    if (!this.active) return;
    const range = this.controls.range as HTMLInputElement | undefined;
    if (range) range.max = String(this.total);
    this.label();
  }

  seek(n: number): void {
    if (!this.recon) return;
    this.position = Math.max(0, Math.min(this.total, Math.round(n)));
    this.recon.seek(this.position);
    const range = this.controls.range as HTMLInputElement | undefined;
    if (range && Number(range.value) !== this.position) range.value = String(this.position);
    this.label();
    this.schedule();
  }

  /** The k-th (1-based) visit of the state with graph node id `node`. */
  jump(node: string, k: number): boolean {
    const at = Reconstruction.visitPosition(this.host.live(), node, k);
    if (at === null) return false;
    this.pause();
    this.seek(at);
    const list = this.view.byNode.get(node) ?? [];
    this.host.reveal(node, list[k - 1]);
    return true;
  }

  play(speed = this.speed): void {
    if (!this.active) this.enter(0);
    this.speed = speed;
    if (this.position >= this.total) this.seek(0);
    this.playing = true;
    this.clock = this.timeOf(this.position);
    this.lastTick = performance.now();
    (this.controls.play as HTMLElement | undefined)?.replaceChildren("Pause");
    this.root.setAttribute("data-playing", "true");
    const tick = (now: number) => {
      if (!this.playing) return;
      this.clock += (now - this.lastTick) * this.speed;
      this.lastTick = now;
      let n = this.position;
      const next = this.event(n + 1);
      if (next && Date.parse(next.timestamp) - this.clock > MAX_IDLE_MS * this.speed) this.clock = Date.parse(next.timestamp);
      while (n < this.total && Date.parse(this.event(n + 1)!.timestamp) <= this.clock) n++;
      if (n !== this.position) this.seek(n);
      if (this.position >= this.total) {
        this.pause();
        return;
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    (this.controls.play as HTMLElement | undefined)?.replaceChildren("Play");
    this.root.removeAttribute("data-playing");
  }

  api() {
    return {
      active: () => this.active,
      position: () => this.position,
      total: () => this.total,
      playing: () => this.playing,
      enter: (at?: number) => this.enter(at),
      exit: () => this.exit(),
      seek: (n: number) => this.seek(n),
      play: (speed?: number) => this.play(speed),
      pause: () => this.pause(),
    };
  }

  private timeOf(n: number): number {
    const e = this.event(n) ?? this.event(1);
    return e ? Date.parse(e.timestamp) : 0;
  }

  /** Redraw at most once per frame however fast the scrubber moves. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      if (!this.active) return;
      this.host.redraw(this.position ? this.timeOf(this.position) : this.host.live().startMs);
    });
  }

  private label(): void {
    const el = this.controls.position;
    if (!el) return;
    const e = this.event(this.position);
    const start = this.host.live().startMs;
    el.textContent = e
      ? `Event ${this.position} of ${this.total} · ${e.type} · +${formatDuration(Date.parse(e.timestamp) - start)} (${formatTime(Date.parse(e.timestamp)).slice(11)})`
      : `Before the first event (${this.total} in all)`;
  }

  private build(): void {
    clear(this.root);
    const button = (action: string, text: string, title: string, onclick: () => void) =>
      h("button", { type: "button", class: "button small", "data-action": action, title, onclick: onclick as EventListener }, text);
    const range = h("input", { type: "range", min: 0, max: this.total, step: 1, value: this.total, "aria-label": "Replay position (event)", "data-replay": "scrubber" }) as HTMLInputElement;
    range.addEventListener("input", () => {
      this.pause();
      this.seek(Number(range.value));
    });
    const play = button("replay-play", "Play", "Play from here (Space)", () => (this.playing ? this.pause() : this.play()));
    const speed = h("select", { "aria-label": "Replay speed", "data-replay": "speed" }, ...SPEEDS.map((s) => h("option", { value: s, selected: s === this.speed }, `${s}×`))) as HTMLSelectElement;
    speed.addEventListener("change", () => {
      this.speed = Number(speed.value);
    });
    const live = this.host.live();
    const nodes = [...live.byNode.keys()].filter((id) => this.host.stateName(id) !== undefined);
    const state = h("select", { "aria-label": "State", "data-replay": "jump-state" },
      ...nodes.map((id) => h("option", { value: id }, `${this.host.stateName(id)} (${live.visitCount(id)} visit${live.visitCount(id) === 1 ? "" : "s"})`))) as HTMLSelectElement;
    const visit = h("input", { type: "number", min: 1, value: 1, "aria-label": "Visit number", "data-replay": "jump-visit", class: "replay-visit" }) as HTMLInputElement;
    const problem = h("span", { class: "muted small", "data-replay": "jump-problem" });
    const go = button("replay-jump", "Go", "Show the execution as that visit began", () => {
      const k = Number(visit.value) || 1;
      problem.textContent = this.jump(state.value, k) ? "" : `It has ${live.visitCount(state.value)} visit(s).`;
    });
    const position = h("span", { class: "replay-position", "data-replay": "position", "aria-live": "polite" });
    this.controls = { range, play, position };
    this.root.append(
      h("div", { class: "replay-row" },
        button("replay-first", "|◀", "First event", () => { this.pause(); this.seek(0); }),
        button("replay-prev", "◀", "Previous event", () => { this.pause(); this.seek(this.position - 1); }),
        play,
        button("replay-next", "▶", "Next event", () => { this.pause(); this.seek(this.position + 1); }),
        button("replay-last", "▶|", "Last event", () => { this.pause(); this.seek(this.total); }),
        speed, range),
      h("div", { class: "replay-row" }, position,
        h("span", { class: "replay-jump" }, "Jump to ", state, " visit ", visit, go, problem)),
    );
    this.root.addEventListener("keydown", (e) => {
      if (e.target instanceof HTMLInputElement && e.target.type !== "range") return;
      if (e.key === " " && !(e.target instanceof HTMLButtonElement)) {
        e.preventDefault();
        if (this.playing) this.pause();
        else this.play();
      }
    });
  }
}
