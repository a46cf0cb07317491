// The step details panel (input, output, error/cause, attempts, timing, the data-flow
// "advanced" view) and the Map iteration viewer. Everything is rebuilt from the model on
// demand; user text only goes into text nodes (dom.ts).

import type { GraphNode } from "../asl/graph";
import type { OpenToken } from "./callbacks";
import { causeView } from "./cause";
import { clear, formatDuration, formatTime, h, prettyJson } from "./dom";
import { STATUS_LABEL } from "./graph";
import { details, type ExecutionModel, type Visit } from "./model";

const FLOW_FIELDS = ["InputPath", "Parameters", "Arguments", "ResultSelector", "ResultPath", "OutputPath", "Output", "Result", "Assign"];

export class DetailsPanel {
  private node: GraphNode | null = null;
  private visitIndex: number | null = null;
  private iteration = 0;

  /** `api`: this execution's REST URL, whose `children` name the executions its Tasks started. */
  constructor(private root: HTMLElement, private model: ExecutionModel, private api?: string) {}

  private waitingFor: ((state: string, iteration: string) => OpenToken | undefined) | null = null;
  private answer: ((token: OpenToken) => void) | null = null;

  /** A Task waiting for a task token says so, with the token and a way to its answer forms. */
  linkCallbacks(find: (state: string, iteration: string) => OpenToken | undefined, answer: (token: OpenToken) => void): void {
    this.waitingFor = find;
    this.answer = answer;
  }

  show(node: GraphNode, visit?: Visit): void {
    this.node = node;
    this.visitIndex = visit ? visit.index : null;
    this.render();
  }

  /** Redraw after new events, if something is shown. */
  refresh(): void {
    if (this.node) this.render();
  }

  private render(): void {
    const node = this.node!;
    const m = this.model;
    const visits = (m.byNode.get(node.id) ?? []).map((i) => m.visits[i]);
    const visit = this.visitIndex !== null ? m.visits[this.visitIndex] : visits[visits.length - 1];
    const status = visit ? m.visitStatus(visit) : "not-reached";
    const parts: (HTMLElement | null)[] = [
      h("header", { class: "sd-head" }, h("h3", { "data-live": "step-name" }, node.name ?? ""),
        h("span", { class: `chip ${status}` }, STATUS_LABEL[status]), h("span", { class: "muted small" }, node.stateType ?? "")),
    ];
    if (visits.length > 1) {
      const pick = h("select", { "aria-label": "Visit" }, ...visits.map((v, i) =>
        h("option", { value: v.index, selected: v === visit }, `Visit ${i + 1} of ${visits.length}${v.iteration ? ` · ${v.iteration}` : ""}`)));
      pick.addEventListener("change", () => { this.visitIndex = Number((pick as HTMLSelectElement).value); this.render(); });
      parts.push(h("label", { class: "sd-visit" }, "Showing ", pick));
    }
    if (node.stateType === "Map") parts.push(this.iterationViewer(node));
    parts.push(this.nestedExecutions(node));
    parts.push(this.mapRunExecutions(node));
    if (!visit) {
      parts.push(h("p", { class: "muted" }, "This state has not been reached."));
    } else {
      parts.push(...this.visitView(node, visit));
    }
    clear(this.root);
    this.root.append(...parts.filter((p): p is HTMLElement => p !== null));
  }

  private visitView(node: GraphNode, visit: Visit): HTMLElement[] {
    const out: HTMLElement[] = [];
    const end = visit.endMs ?? this.model.stopMs ?? Date.now();
    out.push(h("dl", { class: "sd-timing" },
      h("dt", {}, "Entered"), h("dd", {}, formatTime(visit.startMs)),
      h("dt", {}, "Exited"), h("dd", {}, visit.exited ? formatTime(visit.endMs!) : "–"),
      h("dt", {}, "Duration"), h("dd", {}, formatDuration(end - visit.startMs)),
      visit.iteration ? h("dt", {}, "Iteration") : null, visit.iteration ? h("dd", {}, visit.iteration) : null));
    // A failed attempt that a retry recovered from is listed under Attempts, not as the error.
    const status = this.model.visitStatus(visit);
    if (visit.failure && (status === "failed" || status === "caught")) {
      // A Fail state's own Error/Cause when the event does not carry them (inside a Map
      // iteration the error is the Map's, recorded on the Map).
      const error = visit.failure.error ?? fieldText(node.fields.Error) ?? "";
      const cause = visit.failure.cause ?? fieldText(node.fields.Cause) ?? "";
      out.push(h("div", { class: "error-box", "data-live": "step-error" }, h("strong", {}, "Error "), h("code", {}, error), causeView(cause)));
    } else if (status === "in-progress" && node.stateType === "Task" && this.waitingFor) {
      const token = this.waitingFor(node.name ?? "", visit.iteration);
      if (token) {
        out.push(h("div", { class: "sd-callback", "data-live": "step-callback" },
          h("strong", {}, "Waiting for a callback"),
          h("p", { class: "small" }, "This task goes on when its task token is answered (SendTaskSuccess / SendTaskFailure)."),
          h("code", { class: "sd-token", title: token.token }, token.token),
          h("button", { type: "button", class: "button small primary", onclick: () => this.answer?.(token) }, "Answer…")));
      }
    } else if (status === "aborted") {
      out.push(h("p", { class: "aborted-note" }, this.abortedText(visit)));
    }
    out.push(section("Input", pre(visit.input)), section("Output", pre(visit.output ?? (visit.exited ? "" : undefined))));
    const call = this.serviceCall(visit);
    if (call) out.push(call);
    if (visit.attempts.length) {
      const rows = visit.attempts.flatMap((a, i) => {
        const next = visit.attempts[i + 1];
        const outcome = a.outcome === "running" && this.model.status !== "RUNNING" ? "aborted" : a.outcome;
        const row = h("tr", { class: outcome },
          h("td", {}, i + 1), h("td", {}, outcome), h("td", {}, formatTime(a.startMs).slice(11)),
          h("td", {}, formatDuration((a.endMs ?? end) - a.startMs)),
          h("td", {}, next && a.endMs !== undefined ? formatDuration(next.startMs - a.endMs) : "–"));
        // The error gets a row of its own: causes are long (stack traces, AWS messages).
        return a.error ? [row, h("tr", { class: "attempt-error" }, h("td", {}), h("td", { colspan: 4 }, h("code", {}, a.error), causeView(a.cause)))] : [row];
      });
      out.push(section(`Attempts (${visit.attempts.length})`, h("table", { class: "sd-attempts" },
        h("thead", {}, h("tr", {}, ...["#", "Result", "Started", "Took", "Backoff after"].map((t) => h("th", {}, t)))),
        h("tbody", {}, ...rows))));
    }
    out.push(this.dataFlow(node, visit));
    return out;
  }

  /** A `states:startExecution` Task: links to the executions it started (read from the API
   * when shown, so a child started after the page loaded is there too). */
  private nestedExecutions(node: GraphNode): HTMLElement | null {
    const resource = node.fields.Resource;
    if (!this.api || typeof resource !== "string" || !/^arn:aws:states:[^:]*:[^:]*:states:startExecution/.test(resource)) return null;
    const body = h("div", { "data-live": "nested-executions" }, h("p", { class: "muted small" }, "Loading…"));
    const name = node.name ?? "";
    fetch(this.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((data: { children?: NestedChild[] }) => {
        const mine = (data.children ?? []).filter((c) => c.state === name);
        clear(body);
        body.append(mine.length
          ? h("ul", { class: "sd-children" }, ...mine.map((c) => h("li", {},
            h("a", { href: c.url }, c.name), " ", h("span", { class: `chip ${chipOf(c.status)}` }, c.status),
            h("span", { class: "muted small" }, ` ${c.state_machine} · ${c.pattern}`))))
          : h("p", { class: "muted small" }, "No execution started yet."));
      })
      .catch(() => { clear(body); body.append(h("p", { class: "muted small" }, "Could not load the nested executions.")); });
    return section("Nested executions", body);
  }

  /** A Distributed Map: its map runs and their child executions (each a page of its own),
   * read from the API when shown (children that started after the page loaded are there).
   * Shown once the API names a map run of this state (an inline Map has none). */
  private mapRunExecutions(node: GraphNode): HTMLElement | null {
    if (!this.api || node.stateType !== "Map") return null;
    const body = h("div", { "data-live": "map-run-executions" });
    const name = node.name ?? "";
    fetch(this.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((data: { map_runs?: MapRunInfo[] }) => {
        const mine = (data.map_runs ?? []).filter((run) => run.state === name);
        clear(body);
        box.hidden = !mine.length;
        for (const run of mine) {
          const c = run.item_counts;
          body.append(h("p", { class: "small" }, h("span", { class: `chip ${chipOf(run.status)}` }, run.status), " ",
            h("code", { title: run.arn }, run.label),
            h("span", { class: "muted" }, ` ${c.succeeded ?? 0} succeeded · ${c.failed ?? 0} failed · ${c.aborted ?? 0} aborted · ${c.running ?? 0} running · ${c.pending ?? 0} pending · ${c.total ?? 0} total${run.redrive_count ? ` · redriven ${run.redrive_count}×` : ""}`)));
          body.append(run.children.length
            ? h("ul", { class: "sd-children" }, ...run.children.map((child) => h("li", {},
              h("a", { href: child.url }, child.name), " ", h("span", { class: `chip ${chipOf(child.status)}` }, child.status))))
            : h("p", { class: "muted small" }, "No child execution started yet."));
          if (run.children.length < (c.total ?? 0) && run.children.length >= 100) {
            body.append(h("p", { class: "muted small" }, "The first 100 are listed (ListExecutions with the map run's ARN lists all)."));
          }
        }
      })
      .catch(() => { clear(body); box.hidden = false; body.append(h("p", { class: "muted small" }, "Could not load the map runs.")); });
    const box = section("Map run: child executions", body);
    box.hidden = true;
    return box;
  }

  /**
   * What a Task sent and got back, from its last attempt's history: the request
   * (TaskScheduled's parameters — the service call's body) and the response (TaskSucceeded's
   * output) or the error the service answered.
   */
  private serviceCall(visit: Visit): HTMLElement | null {
    const last = visit.attempts[visit.attempts.length - 1];
    if (!last?.scheduled || last.scheduled.type !== "TaskScheduled") return null;
    const d = details(last.scheduled);
    const target = [d.resourceType, d.resource].filter((x) => typeof x === "string" && x).join(":");
    const attempt = visit.attempts.length > 1 ? ` (attempt ${visit.attempts.length})` : "";
    const body = h("div", { class: "sd-service-call", "data-live": "service-call" },
      h("p", { class: "small" }, h("code", {}, target), attempt),
      h("div", { class: "df-label" }, "Request"), pre(last.input),
      h("div", { class: "df-label" }, "Response"),
      last.outcome === "succeeded" ? pre(last.output)
        : last.error !== undefined ? h("div", {}, h("code", {}, last.error), causeView(last.cause ?? ""))
        : h("p", { class: "muted small" }, last.outcome === "running" && this.model.status === "RUNNING" ? "Waiting for the answer…" : "No answer"));
    return section("Service call", body);
  }

  private abortedText(visit: Visit): string {
    const by = visit.aborted?.type ?? "";
    if (by === "MapIterationAborted") return "Aborted: another iteration of the Map failed (or the execution stopped) while this one ran.";
    if (by.endsWith("StateAborted")) return this.model.status === "ABORTED" ? "Aborted: the execution was stopped while this state ran." : "Aborted: a branch beside it failed, or the execution stopped, while this state ran.";
    if (this.model.status === "ABORTED") return "Aborted: the execution was stopped while this state ran.";
    return "Aborted: the execution ended while this state ran.";
  }

  /** InputPath → Parameters → result → ResultSelector → ResultPath → OutputPath, as far as the history goes. */
  private dataFlow(node: GraphNode, visit: Visit): HTMLElement {
    const f = node.fields;
    const first = visit.attempts[0];
    const last = visit.attempts[visit.attempts.length - 1];
    const steps: [string, string | undefined, string | undefined][] = [
      ["State input", undefined, visit.input],
      ["InputPath", fieldText(f.InputPath), undefined],
      [f.Arguments !== undefined ? "Arguments" : "Parameters", fieldText(f.Arguments ?? f.Parameters), first?.input],
      ["Task result", undefined, last?.output],
      ["ResultSelector", fieldText(f.ResultSelector), undefined],
      ["ResultPath", fieldText(f.ResultPath), undefined],
      ["OutputPath", fieldText(f.OutputPath ?? f.Output), undefined],
      ["State output", undefined, visit.output],
    ];
    const items = steps.filter(([, field, value]) => field !== undefined || value !== undefined).map(([label, field, value]) =>
      h("li", {}, h("div", { class: "df-label" }, label), field !== undefined ? h("code", { class: "df-field" }, field) : null,
        value !== undefined ? pre(value) : null));
    const extra = FLOW_FIELDS.filter((k) => f[k] !== undefined).length === 0
      ? h("p", { class: "muted small" }, "This state uses no data-flow fields: its output is its input.") : null;
    const det = h("details", { class: "sd-flow" }, h("summary", {}, "Advanced: data flow"), h("ol", { class: "dataflow" }, ...items), extra);
    return det;
  }

  private iterationViewer(node: GraphNode): HTMLElement {
    const m = this.model;
    const progress = m.maps.get(node.id);
    const statuses = m.iterations.get(node.id) ?? new Map<number, string>();
    const total = progress?.total ?? statuses.size;
    const box = h("section", { class: "sd-iterations", "aria-label": "Map iterations" });
    box.append(h("h4", {}, "Map iterations"));
    if (!total) {
      box.append(h("p", { class: "muted small" }, "No iteration has started."));
      return box;
    }
    if (progress) {
      box.append(h("p", { class: "small" }, `${progress.succeeded} succeeded · ${progress.failed} failed${progress.aborted ? ` · ${progress.aborted} aborted` : ""} · ${progress.running} running · ${total} total`));
    }
    const index = Math.min(this.iteration, total - 1);
    const input = h("input", { type: "number", min: 0, max: total - 1, value: index, "aria-label": "Iteration index", "data-live": "iteration-index" });
    input.addEventListener("change", () => { this.iteration = Math.max(0, Math.min(total - 1, Number((input as HTMLInputElement).value) || 0)); this.render(); });
    const strip = h("div", { class: "iter-strip" }, ...Array.from({ length: Math.min(total, 500) }, (_, i) =>
      h("button", { type: "button", class: `iter ${statuses.get(i) ?? "pending"}${i === index ? " current" : ""}`, title: `#${i}: ${statuses.get(i) ?? "not started"}`,
        onclick: () => { this.iteration = i; this.render(); } })));
    box.append(h("label", { class: "small" }, "Index ", input), strip);
    const label = `${node.name}[${index}]`;
    const inside = m.visits.filter((v) => v.iteration === label || v.iteration.endsWith(`/${label}`) || v.iteration.startsWith(`${label}/`));
    const list = h("ol", { class: "iter-visits" }, ...inside.map((v) => {
      const st = m.visitStatus(v);
      return h("li", {}, h("span", { class: `dot ${st}` }), h("strong", {}, v.name), " ", h("span", { class: "muted small" }, `${STATUS_LABEL[st]} · ${formatDuration((v.endMs ?? Date.now()) - v.startMs)}`),
        h("details", {}, h("summary", {}, "Data"), section("Input", pre(v.input)), section("Output", pre(v.output)),
          v.failure ? h("div", { class: "iter-error" }, h("code", {}, v.failure.error ?? ""), causeView(v.failure.cause)) : null));
    }));
    box.append(inside.length ? list : h("p", { class: "muted small" }, `Iteration ${index} has not started.`));
    return box;
  }
}

interface MapRunInfo {
  arn: string; state: string; label: string; status: string; redrive_count: number;
  item_counts: Record<string, number>;
  children: { id: string; name: string; arn: string; status: string; url: string }[];
}

interface NestedChild { id: string; name: string; url: string; state: string; status: string; state_machine: string; pattern: string }

function chipOf(status: string): string {
  return ({ RUNNING: "in-progress", SUCCEEDED: "succeeded", FAILED: "failed", TIMED_OUT: "failed", ABORTED: "aborted" } as Record<string, string>)[status] ?? "not-reached";
}

function fieldText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function pre(text: string | undefined): HTMLElement {
  return h("pre", { class: "json" }, text === undefined ? "–" : prettyJson(text));
}

function section(title: string, body: HTMLElement): HTMLElement {
  return h("section", { class: "sd-section" }, h("h4", {}, title), body);
}
