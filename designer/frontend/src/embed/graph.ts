// The embeddable execution graph (docs/embed.md): the live view's graph as one framework-free
// script another web app includes with <script>, then one call:
//
//   StepStudioGraph.show(element, { execution: "<id>", baseUrl: "https://stepstudio.example" })
//   StepStudioGraph.show(element, { definition, history })
//
// With an execution id it reads the definition and history from the REST API (the session
// cookie, or `token` for DRF token authentication) and polls while the execution runs; with
// a history (GetExecutionHistory's events, or {events: [...]}) and a definition it draws
// that. ELK runs in the page (no worker file to host next to the script).

import ELK from "elkjs/lib/elk.bundled.js";
import type { StateMachine } from "../asl/types";
import type { RunLayout } from "../layout/elk";
import { GraphView, STATUS_LABEL } from "../live/graph";
import { ExecutionModel, type HistoryEvent } from "../live/model";
import css from "./embed.css?inline";

export interface ShowOptions {
  /** An execution id: definition and history come from `${baseUrl}/api/executions/{id}/…`. */
  execution?: string;
  baseUrl?: string;
  /** DRF token (Authorization: Token …) for callers without a StepStudio session. */
  token?: string;
  /** How often to fetch new events while the execution runs (ms; 0: never). Default 2000. */
  pollMs?: number;
  /** The definition (object or JSON text) and history, when not read from the API. */
  definition?: StateMachine | string;
  history?: HistoryEvent[] | { events: HistoryEvent[] };
  /** Called with a state's name, status and visit count when the user clicks it. */
  onSelect?: (state: { name: string; status: string; visits: number }) => void;
}

export interface EmbeddedGraph {
  /** Status of a state by name ("not-reached", "in-progress", "succeeded", "failed", "caught", "aborted"). */
  status(name: string): string;
  /** The execution's status as the history says (RUNNING until its last event). */
  executionStatus(): string;
  /** Add events (in order) and redraw. */
  add(events: HistoryEvent[]): void;
  /** Stop polling and remove the graph. */
  destroy(): void;
  /** Resolves once the graph is drawn. */
  ready: Promise<void>;
}

let runner: RunLayout | null = null;
function inPage(): RunLayout {
  if (!runner) {
    const elk = new ELK();
    runner = (graph) => elk.layout(graph);
  }
  return runner;
}

function injectStyle(): void {
  if (document.getElementById("stepstudio-graph-style")) return;
  const style = document.createElement("style");
  style.id = "stepstudio-graph-style";
  style.textContent = css;
  document.head.append(style);
}

function asEvents(history: ShowOptions["history"]): HistoryEvent[] {
  const list = Array.isArray(history) ? history : history?.events ?? [];
  return list.map((e) => ({ ...e, seq: Number(e.seq ?? e.id) }));
}

async function fetchJson<T>(url: string, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Token ${token}`;
  const response = await fetch(url, { headers, credentials: token ? "omit" : "include" });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(`StepStudioGraph: ${url}: ${body?.detail ?? response.status}`);
  }
  return response.json() as Promise<T>;
}

export function show(element: HTMLElement | string, options: ShowOptions): EmbeddedGraph {
  const root = typeof element === "string" ? document.querySelector<HTMLElement>(element) : element;
  if (!root) throw new Error(`StepStudioGraph.show: no element ${String(element)}`);
  injectStyle();
  root.classList.add("ss-embed");
  let view: GraphView | null = null;
  let model: ExecutionModel | null = null;
  let timer = 0;
  let destroyed = false;
  const base = (options.baseUrl ?? "").replace(/\/$/, "");

  const redraw = () => {
    if (view && model) view.update(model);
    root.setAttribute("data-execution-status", model?.status ?? "");
  };
  const add = (events: HistoryEvent[]) => {
    if (!model) return;
    for (const e of events) if (e.seq > model.lastSeq) model.add(e);
    redraw();
  };

  const start = async (definition: StateMachine | string, events: HistoryEvent[]) => {
    const doc = (typeof definition === "string" ? JSON.parse(definition) : definition) as StateMachine;
    const holder = document.createElement("div");
    holder.className = "ss-embed-graph";
    root.replaceChildren(holder);
    view = new GraphView(holder, doc, (nodeId) => {
      const node = view?.node(nodeId);
      if (!node || !model) return;
      view?.select(nodeId);
      options.onSelect?.({ name: node.name ?? "", status: model.nodeStatus(nodeId), visits: model.visitCount(nodeId) });
    });
    model = new ExecutionModel(view.nodeIds(), (node) => view!.branchCount(node));
    await view.draw(inPage());
    add(events);
  };

  const poll = async (id: string) => {
    const api = `${base}/api/executions/${encodeURIComponent(id)}/`;
    while (!destroyed) {
      let after = model?.lastSeq ?? 0;
      for (;;) {
        const page = await fetchJson<{ events: HistoryEvent[]; next_after: number | null }>(`${api}history/?limit=1000&after=${after}`, options.token);
        add(asEvents(page.events));
        if (page.next_after === null) break;
        after = page.next_after;
      }
      const pollMs = options.pollMs ?? 2000;
      if (!model || model.status !== "RUNNING" || !pollMs) return;
      await new Promise((resolve) => (timer = window.setTimeout(resolve, pollMs)));
    }
  };

  const ready = (async () => {
    if (options.execution) {
      const api = `${base}/api/executions/${encodeURIComponent(options.execution)}/`;
      const { definition } = await fetchJson<{ definition: StateMachine }>(`${api}definition/`, options.token);
      await start(definition, []);
      await poll(options.execution);
    } else if (options.definition) {
      await start(options.definition, asEvents(options.history));
    } else {
      throw new Error("StepStudioGraph.show: give an execution id, or a definition and a history");
    }
  })();

  return {
    ready: ready.then(() => undefined),
    status: (name) => model?.nodeStatus(view?.graph.nodes.find((n) => n.kind === "state" && n.name === name)?.id ?? "") ?? "not-reached",
    executionStatus: () => model?.status ?? "",
    add: (events) => add(asEvents(events)),
    destroy: () => {
      destroyed = true;
      window.clearTimeout(timer);
      root.replaceChildren();
      root.classList.remove("ss-embed");
    },
  };
}

export const statusLabels = STATUS_LABEL;
