// The executions list, kept current by /ws/executions/: a summary message per status
// change (seq = time of the change in µs). Rows are upserted by id and a message not newer
// than the row's last one is ignored, so the server's resume overlap never duplicates.

import { formatDuration, h } from "./dom";
import { connectionBadge } from "./header";
import { ResumableSocket, type LiveMessage } from "./socket";

export interface ListConfig {
  socket: string;
  /** The HTTP fallback of the socket (engine.live.views.execution_list_feed). */
  poll?: string;
  after: number;
  stateMachine: string;
  status: string;
}

interface Row {
  seq: number;
  el: HTMLTableRowElement;
  start: number;
  stop: number | null;
  status: string;
}

const fmt = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

export class ExecutionListPage {
  private rows = new Map<string, Row>();
  private cursor: number;
  private tbody: HTMLElement;
  private socket: ResumableSocket;

  constructor(private config: ListConfig) {
    this.cursor = config.after;
    this.tbody = document.querySelector("#executions tbody")!;
    for (const tr of Array.from(this.tbody.querySelectorAll<HTMLTableRowElement>("tr[data-id]"))) {
      this.rows.set(tr.dataset.id!, {
        seq: 0, el: tr, status: tr.dataset.status ?? "",
        start: Date.parse(tr.dataset.start ?? ""), stop: tr.dataset.stop ? Date.parse(tr.dataset.stop) : null,
      });
    }
    // Filters apply at once (the form still works without the script).
    for (const select of Array.from(document.querySelectorAll<HTMLSelectElement>("select[data-filter]"))) {
      select.addEventListener("change", () => select.form?.submit());
    }
    const extra: Record<string, string> = config.stateMachine ? { state_machine: config.stateMachine } : {};
    this.socket = new ResumableSocket({
      path: config.socket, poll: config.poll, after: () => this.cursor, extraQuery: extra,
      onMessages: (messages) => messages.forEach((m) => this.receive(m)),
      onState: connectionBadge,
    });
  }

  start(): void {
    this.socket.connect();
    setInterval(() => this.tick(), 1000);
  }

  private receive(m: LiveMessage): void {
    if (m.type !== "execution.summary") return;
    this.cursor = Math.max(this.cursor, m.seq);
    const id = String(m.id);
    const row = this.rows.get(id);
    if (row && m.seq <= row.seq) return;
    const status = String(m.status);
    if (this.config.status && status !== this.config.status) {
      row?.el.remove();
      this.rows.delete(id);
      return;
    }
    const start = Date.parse(String(m.startDate));
    const stop = typeof m.stopDate === "string" ? Date.parse(m.stopDate) : null;
    const el = h("tr", { "data-id": id, "data-status": status, class: row ? "changed" : "new" },
      h("td", {}, h("a", { href: String(m.url) }, String(m.name))),
      h("td", {}, String(m.stateMachine)),
      h("td", {}, h("span", { class: `status-badge status-${status.toLowerCase()}` }, status)),
      h("td", {}, fmt(start)), h("td", {}, stop ? fmt(stop) : "–"),
      h("td", { class: "duration" }, formatDuration((stop ?? Date.now()) - start))) as HTMLTableRowElement;
    if (row) row.el.replaceWith(el);
    else {
      this.tbody.querySelector("tr.empty")?.remove();
      this.tbody.prepend(el);
    }
    this.rows.set(id, { seq: m.seq, el, start, stop, status });
  }

  private tick(): void {
    for (const row of this.rows.values()) {
      if (row.status !== "RUNNING") continue;
      const cell = row.el.querySelector(".duration");
      if (cell) cell.textContent = formatDuration(Date.now() - row.start);
    }
  }

  api() {
    return { statuses: () => Object.fromEntries([...this.rows].map(([id, r]) => [id, r.status])), dropConnection: () => this.socket.drop() };
  }
}
