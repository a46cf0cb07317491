// The execution header: status, end time, duration (ticking while running), output,
// error/cause, and the Stop / Redrive buttons (POSTs to the REST API with the CSRF token).

import { LiveActions } from "./actions";
import { causeView } from "./cause";
import { formatDuration, formatTime, prettyJson } from "./dom";
import type { LiveMessage } from "./socket";

export interface LiveConfig {
  id: string;
  name: string;
  stateMachine: string;
  status: string;
  startDate: string;
  stopDate: string | null;
  definition: Record<string, unknown>;
  socket: string;
  /** The HTTP fallback of the socket (engine.live.views.execution_feed). */
  poll?: string;
  api: string;
  csrfToken: string;
  /** The execution's input (New execution starts with it, editable). */
  input?: unknown;
  /** The caller owns the state machine (New execution starts it by name in their namespace). */
  owner?: boolean;
}

const q = (name: string) => document.querySelector<HTMLElement>(`[data-live="${name}"]`);

export class Header {
  status: string;
  private redriveCount = Number(q("redrives")?.textContent ?? 0) || 0;
  private redrivesBefore = 0;
  private progress = new ActionProgress();
  private start: number;
  private stop: number | null;

  constructor(config: LiveConfig) {
    this.status = config.status;
    this.start = Date.parse(config.startDate);
    this.stop = config.stopDate ? Date.parse(config.stopDate) : null;
    const host = document.getElementById("live-dialogs");
    const actions = host ? new LiveActions(host, {
      name: config.name, stateMachine: config.stateMachine, api: config.api, csrfToken: config.csrfToken,
      input: config.input,
      onDone: (kind) => {
        // The socket may have brought the outcome before the POST's answer: catch up.
        this.progress.started(kind, this.redrivesBefore);
        this.progress.status(this.status, this.redriveCount);
      },
    }) : null;
    for (const action of ["stop", "redrive", "new"] as const) {
      const button = document.querySelector<HTMLButtonElement>(`[data-action="${action === "new" ? "new-execution" : action}"]`);
      if (!button) continue;
      if (action === "new" && !config.owner) {
        button.hidden = true;
        continue;
      }
      button.addEventListener("click", () => {
        this.redrivesBefore = this.redriveCount;
        actions?.open({ kind: action }, button);
      });
    }
    // The server rendered the cause as text: fold its stack trace away.
    renderCause(q("cause")?.textContent ?? "");
    this.paint();
  }

  /** An execution.status message from the socket. */
  update(message: LiveMessage): void {
    this.status = String(message.status);
    this.stop = typeof message.stopDate === "string" ? Date.parse(message.stopDate) : null;
    const output = q("output");
    if (output) output.textContent = message.output === null || message.output === undefined ? "–" : prettyJson(JSON.stringify(message.output));
    const error = String(message.error ?? "");
    const cause = String(message.cause ?? "");
    const box = q("error-box");
    if (box) box.hidden = !error && !cause;
    const errorEl = q("error");
    if (errorEl) errorEl.textContent = error;
    renderCause(cause);
    const redrives = q("redrives");
    this.redriveCount = Number(message.redriveCount ?? 0) || 0;
    if (redrives) redrives.textContent = String(this.redriveCount);
    this.progress.status(this.status, this.redriveCount);
    this.paint();
  }

  tick(): void {
    const el = q("duration");
    if (el) el.textContent = formatDuration((this.stop ?? Date.now()) - this.start);
  }

  private paint(): void {
    const badge = q("status");
    if (badge) {
      badge.textContent = this.status;
      badge.className = `status-badge status-${this.status.toLowerCase()}`;
    }
    const text = q("status-text");
    if (text) text.textContent = this.status;
    const stop = q("stop");
    if (stop) stop.textContent = this.stop ? formatTime(this.stop) : "–";
    const running = this.status === "RUNNING";
    const stopButton = document.querySelector<HTMLButtonElement>('[data-action="stop"]');
    if (stopButton) stopButton.disabled = !running;
    const redrive = document.querySelector<HTMLButtonElement>('[data-action="redrive"]');
    if (redrive) redrive.disabled = running || this.status === "SUCCEEDED";
    this.tick();
  }
}

function renderCause(cause: string): void {
  const el = q("cause");
  if (!el) return;
  const view = causeView(cause);
  el.replaceChildren(...Array.from(view.childNodes));
}

export function connectionBadge(state: string): void {
  const el = q("connection");
  if (!el) return;
  el.dataset.state = state;
  el.textContent = { connecting: "connecting…", live: "● live", reconnecting: "reconnecting…", polling: "● updating every 2 s", closed: "offline" }[state] ?? state;
  el.dataset.liveTitle ??= el.title;
  el.title = state === "polling" ? "The live connection (a websocket) could not be opened; the page asks the server for news every two seconds instead." : el.dataset.liveTitle;
}

/** What a Stop or Redrive is doing, in words, until the execution's status says it is done. */
class ActionProgress {
  private pending: { kind: "stop" | "redrive"; from: number } | null = null;

  started(kind: "stop" | "redrive", redrives: number): void {
    this.pending = { kind, from: redrives };
    this.show(kind === "stop" ? "Stopping the execution…" : "Redrive requested: re-entering the state that failed…", "busy");
  }

  status(status: string, redrives: number): void {
    const p = this.pending;
    if (!p) return;
    if (p.kind === "stop" && status !== "RUNNING") {
      this.pending = null;
      this.show(status === "ABORTED" ? "Stopped: the execution is ABORTED." : `The execution ended ${status} before the stop.`, status === "ABORTED" ? "done" : "bad");
    } else if (p.kind === "redrive" && status === "RUNNING" && redrives > p.from) {
      this.show(`Redrive ${redrives} is running…`, "busy");
    } else if (p.kind === "redrive" && status !== "RUNNING" && redrives > p.from) {
      this.pending = null;
      this.show(`Redrive ${redrives} ended: ${status}.`, status === "SUCCEEDED" ? "done" : "bad");
    }
  }

  private show(text: string, tone: "busy" | "done" | "bad"): void {
    const el = q("action-status");
    if (!el) return;
    el.textContent = text;
    el.dataset.tone = tone;
    el.hidden = false;
  }
}
