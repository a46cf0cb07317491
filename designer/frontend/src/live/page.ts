// The execution page: one model fed by the resumable socket, and the views drawn from it
// once per batch of messages.

import type { StateMachine } from "../asl/types";
import { CallbackPanel } from "./callbacks";
import { DetailsPanel } from "./details";
import { EventTable } from "./events";
import { GraphView } from "./graph";
import { connectionBadge, Header, type LiveConfig } from "./header";
import { ExecutionModel, type HistoryEvent } from "./model";
import { ReplayBar } from "./replay/bar";
import { ResumableSocket, type LiveMessage } from "./socket";
import { Timeline } from "./timeline";
import { stillWaiting } from "./waiting";

export class ExecutionPage {
  private model: ExecutionModel;
  private graph: GraphView;
  private header: Header;
  private table: EventTable;
  private details: DetailsPanel;
  private timeline: Timeline;
  private socket: ResumableSocket;
  private connection = "connecting";
  private graphReady: Promise<void>;
  /** What the views show: the live model, or the replay's execution-as-it-was. */
  private shown: ExecutionModel;
  private replay: ReplayBar;
  private callbacks: CallbackPanel | null;
  /** The execution's REST URL (step details read nested executions from it). */
  private apiUrl: LiveConfig["api"];

  constructor(config: LiveConfig) {
    const byId = (id: string) => document.getElementById(id)!;
    this.apiUrl = config.api;
    this.graph = new GraphView(byId("live-graph"), config.definition as StateMachine, (node) => this.select(node));
    this.model = this.freshModel();
    this.header = new Header(config);
    this.shown = this.model;
    [this.details, this.table, this.timeline] = this.views(this.model);
    this.replay = new ReplayBar(byId("live-graph").closest("section") ?? byId("live-graph"), {
      live: () => this.model,
      fresh: () => this.freshModel(),
      bind: (model) => {
        this.shown = model;
        [this.details, this.table, this.timeline] = this.views(model);
        this.table.added(0);
      },
      redraw: (now) => this.redraw(now),
      reveal: (nodeId, visitIndex) => {
        const node = this.graph.node(nodeId);
        if (!node) return;
        this.graph.select(nodeId);
        this.details.show(node, this.shown.visits[visitIndex]);
      },
      stateName: (nodeId) => {
        const node = this.graph.node(nodeId);
        return node?.kind === "state" ? node.name : undefined;
      },
    });
    const callbacks = document.getElementById("live-callbacks");
    this.callbacks = callbacks ? new CallbackPanel(callbacks, config.api, config.csrfToken) : null;
    if (this.callbacks) this.callbacks.onChange = () => this.details.refresh();
    this.graphReady = this.graph.draw().catch((error) => {
      console.error("graph layout failed", error);
      const root = byId("live-graph");
      root.setAttribute("aria-busy", "false");
      root.replaceChildren(Object.assign(document.createElement("p"), { className: "graph-error", textContent: `The graph could not be laid out (${String(error)}). The events and details below are complete.` }));
    });
    this.socket = new ResumableSocket({
      path: config.socket,
      poll: config.poll,
      after: () => this.model.lastSeq,
      onMessages: (messages) => this.receive(messages),
      onState: (state) => { this.connection = state; connectionBadge(state); },
    });
  }

  private freshModel(): ExecutionModel {
    return new ExecutionModel(this.graph.nodeIds(), (node) => this.graph.branchCount(node));
  }

  /** Step details, events table and timeline over `model`. */
  private views(model: ExecutionModel): [DetailsPanel, EventTable, Timeline] {
    const byId = (id: string) => document.getElementById(id)!;
    const details = new DetailsPanel(byId("step-details"), model, this.apiUrl);
    details.linkCallbacks((state, iteration) => this.callbacks?.find(state, iteration), (token) => this.callbacks?.focus(token));
    const table = new EventTable(byId("live-events"), byId("event-filters"), model, (seq) => this.pickEvent(seq));
    const timeline = new Timeline(byId("live-timeline"), model, (visit) => {
      const node = this.graph.node(visit.node);
      if (node) {
        this.graph.select(node.id);
        this.details.show(node, visit);
      }
    });
    return [details, table, timeline];
  }

  private redraw(now: number | undefined): void {
    this.graph.update(this.shown);
    this.table.reset(this.replay.active);
    this.timeline.render(now);
    this.details.refresh();
  }

  async start(): Promise<void> {
    this.socket.connect();
    await this.graphReady;
    this.graph.update(this.shown);
    setInterval(() => {
      if (this.header.status !== "RUNNING" || this.replay.active) return;
      this.header.tick();
      this.timeline.render();
    }, 1000);
  }

  private receive(messages: LiveMessage[]): void {
    const from = this.model.events.length;
    for (const message of messages) {
      if (message.type === "execution.status") {
        this.model.status = String(message.status);
        this.header.update(message);
      } else if (message.seq > this.model.lastSeq) {
        this.model.add(message as unknown as HistoryEvent);
      }
    }
    const count = document.querySelector('[data-live="event-count"]');
    if (count) count.textContent = String(this.model.lastSeq);
    this.waitingNoticeOutdated(from);
    if (this.model.events.length > from) void this.callbacks?.refresh(this.header.status === "RUNNING");
    if (this.replay.active) {
      this.replay.grew();
      return;
    }
    if (this.model.events.length > from) this.table.added(from);
    this.graph.update(this.model);
    this.timeline.render();
    this.details.refresh();
  }

  /** The "Waiting for a worker" box: a task a worker has taken since the page loaded leaves
   * it, and it goes once the execution ended. */
  private waitingNoticeOutdated(from: number): void {
    const box = document.querySelector<HTMLElement>('[data-live="waiting"]');
    if (!box || box.hidden) return;
    const items = [...box.querySelectorAll<HTMLElement>("li[data-state]")];
    const waiting = stillWaiting(items.map((li) => ({ state: li.dataset.state ?? "", since: li.dataset.since ?? "" })),
      this.model.events, this.model.steps, from);
    items.forEach((li, k) => { if (!waiting[k]) li.remove(); });
    if ((this.header.status && this.header.status !== "RUNNING") || !box.querySelector("li")) box.hidden = true;
  }

  private select(nodeId: string): void {
    const node = this.graph.node(nodeId);
    if (!node) return;
    this.graph.select(nodeId);
    this.details.show(node);
  }

  private pickEvent(seq: number): void {
    this.table.toggle(seq);
    const visit = this.shown.visits.find((v) => v.events.includes(seq));
    const node = visit && this.graph.node(visit.node);
    if (visit && node) {
      this.graph.select(node.id);
      this.details.show(node, visit);
    }
  }

  /** window.stepstudio.live: what tests (and curious users) can ask the page. */
  api() {
    return {
      replay: this.replay.api(),
      /** A state's status in what the page shows (the replayed moment while replaying). */
      shownStatus: (name: string) => this.shown.nodeStatus(this.graph.graph.nodes.find((n) => n.kind === "state" && n.name === name)?.id ?? ""),
      seqs: () => this.model.events.map((e) => e.seq),
      lastSeq: () => this.model.lastSeq,
      status: () => this.header.status,
      connection: () => this.connection,
      nodeStatus: (name: string) => this.model.nodeStatus(this.graph.graph.nodes.find((n) => n.kind === "state" && n.name === name)?.id ?? ""),
      /** Close the socket as a network failure would, staying away `holdMs`; returns the last seq held. */
      dropConnection: (holdMs = 0) => {
        this.socket.drop(holdMs);
        return this.model.lastSeq;
      },
    };
  }
}
