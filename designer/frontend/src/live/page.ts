// The execution page: one model fed by the resumable socket, and the views drawn from it
// once per batch of messages.

import type { StateMachine } from "../asl/types";
import { DetailsPanel } from "./details";
import { EventTable } from "./events";
import { GraphView } from "./graph";
import { connectionBadge, Header, type LiveConfig } from "./header";
import { ExecutionModel, type HistoryEvent } from "./model";
import { ResumableSocket, type LiveMessage } from "./socket";
import { Timeline } from "./timeline";

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

  constructor(config: LiveConfig) {
    const byId = (id: string) => document.getElementById(id)!;
    this.graph = new GraphView(byId("live-graph"), config.definition as StateMachine, (node) => this.select(node));
    this.model = new ExecutionModel(this.graph.nodeIds(), (node) => this.graph.branchCount(node));
    this.header = new Header(config);
    this.details = new DetailsPanel(byId("step-details"), this.model, config.api);
    this.table = new EventTable(byId("live-events"), byId("event-filters"), this.model, (seq) => this.pickEvent(seq));
    this.timeline = new Timeline(byId("live-timeline"), this.model, (visit) => {
      const node = this.graph.node(visit.node);
      if (node) {
        this.graph.select(node.id);
        this.details.show(node, visit);
      }
    });
    this.graphReady = this.graph.draw().catch((error) => console.error("graph layout failed", error));
    this.socket = new ResumableSocket({
      path: config.socket,
      after: () => this.model.lastSeq,
      onMessages: (messages) => this.receive(messages),
      onState: (state) => { this.connection = state; connectionBadge(state); },
    });
  }

  async start(): Promise<void> {
    this.socket.connect();
    await this.graphReady;
    this.graph.update(this.model);
    setInterval(() => {
      if (this.header.status !== "RUNNING") return;
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
    if (this.model.events.length > from) this.table.added(from);
    this.graph.update(this.model);
    this.timeline.render();
    this.details.refresh();
  }

  private select(nodeId: string): void {
    const node = this.graph.node(nodeId);
    if (!node) return;
    this.graph.select(nodeId);
    this.details.show(node);
  }

  private pickEvent(seq: number): void {
    const visit = this.model.visits.find((v) => v.events.includes(seq));
    const node = visit && this.graph.node(visit.node);
    if (visit && node) {
      this.graph.select(node.id);
      this.details.show(node, visit);
    }
  }

  /** window.stepstudio.live: what tests (and curious users) can ask the page. */
  api() {
    return {
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
