// The execution header: status, end time, duration (ticking while running), output,
// error/cause, and the Stop / Redrive buttons (POSTs to the REST API with the CSRF token).

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
  api: string;
  csrfToken: string;
}

const q = (name: string) => document.querySelector<HTMLElement>(`[data-live="${name}"]`);

export class Header {
  status: string;
  private start: number;
  private stop: number | null;

  constructor(private config: LiveConfig) {
    this.status = config.status;
    this.start = Date.parse(config.startDate);
    this.stop = config.stopDate ? Date.parse(config.stopDate) : null;
    for (const action of ["stop", "redrive"] as const) {
      document.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)?.addEventListener("click", () => this.post(action));
    }
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
    const causeEl = q("cause");
    if (causeEl) causeEl.textContent = cause;
    const redrives = q("redrives");
    if (redrives) redrives.textContent = String(message.redriveCount ?? 0);
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

  private async post(action: "stop" | "redrive"): Promise<void> {
    if (action === "stop" && !window.confirm(`Stop execution ${this.config.name}?`)) return;
    const message = q("action-error");
    const response = await fetch(`${this.config.api}${action}/`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.config.csrfToken },
      body: JSON.stringify(action === "stop" ? { error: "Stopped", cause: "Stopped from the live view" } : {}),
    });
    if (message) {
      if (response.ok) {
        message.hidden = true;
      } else {
        const body = await response.json().catch(() => ({}));
        message.textContent = `${action === "stop" ? "Stop" : "Redrive"} failed: ${body.detail ?? response.statusText}`;
        message.hidden = false;
      }
    }
  }
}

export function connectionBadge(state: string): void {
  const el = q("connection");
  if (!el) return;
  el.dataset.state = state;
  el.textContent = { connecting: "connecting…", live: "● live", reconnecting: "reconnecting…", closed: "offline" }[state] ?? state;
}
