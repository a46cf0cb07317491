// History events → what the live view shows: one "visit" per StateEntered (with its task
// attempts, data and timing), per-node status for the graph, Map iteration progress.
// Pure and incremental: add() takes events in seq order, each once; no DOM here.
//
// Events of Parallel branches and Map iterations interleave in the history; they are told
// apart by previousEventId, which AWS (and our evaluator) chain inside a branch or
// iteration back to its ParallelStateStarted / MapIterationStarted event.

import { branchScopeId, processorScopeId, stateId } from "../asl/ids";

export interface HistoryEvent {
  seq: number;
  id: number;
  previousEventId: number;
  type: string;
  timestamp: string;
  [key: string]: unknown;
}

export type NodeStatus = "not-reached" | "in-progress" | "succeeded" | "failed" | "caught" | "aborted";

export interface Attempt {
  scheduled?: HistoryEvent;
  started?: HistoryEvent;
  end?: HistoryEvent;
  /** "succeeded" | "failed" | "timed-out" | "running" */
  outcome: string;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  startMs: number;
  endMs?: number;
}

export interface Visit {
  index: number;
  node: string;
  name: string;
  stateType: string;
  /** "" at the top level; "SquareAll[3]" (nested: "Outer[1]/Inner[0]") inside Map iterations. */
  iteration: string;
  entered: HistoryEvent;
  exited?: HistoryEvent;
  input?: string;
  output?: string;
  attempts: Attempt[];
  failure?: { error?: string; cause?: string; event: HistoryEvent };
  /** Cut short: its state, branch or iteration was aborted (history says so), or the execution stopped. */
  aborted?: HistoryEvent;
  startMs: number;
  endMs?: number;
  events: number[];
}

export interface MapProgress {
  total: number;
  succeeded: number;
  failed: number;
  running: number;
  aborted: number;
}

interface Ctx {
  scope: string;
  node?: string;
  visit?: number;
  iteration: string;
  /** The Map node whose iteration this event belongs to. */
  iterOf?: string;
  /** Set on ParallelStateStarted: the branch's first state is entered from it. */
  parallel?: string;
  /** Set on MapStateStarted: iterations are started from it. */
  map?: string;
  /** Inside a branch or iteration: the context of the Map/Parallel state that holds it. */
  outer?: Ctx;
}

const ROOT: Ctx = { scope: "", iteration: "" };

export function details(event: HistoryEvent): Record<string, unknown> {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && value && typeof value === "object") return value as Record<string, unknown>;
  }
  return {};
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : v === undefined || v === null ? undefined : JSON.stringify(v));

const SCHEDULED = /^(LambdaFunction|Task|Activity)Scheduled$/;
const STARTED = /^(LambdaFunction|Task|Activity)Started$/;
const SUCCEEDED = /^(LambdaFunction|Task|Activity)Succeeded$/;
const FAILED = /^(LambdaFunction|Task|Activity)(Failed|TimedOut|StartFailed|ScheduleFailed|SubmitFailed)$/;
const STATE_FAILED = /^(Map|Parallel)StateFailed$/;
// AWS records a state cut short (a failing Parallel branch's state, a stopped execution's
// state) as <Type>StateAborted; a Map iteration cut short as MapIterationAborted.
const STATE_ABORTED = /^[A-Za-z]+StateAborted$/;
const CONTAINER_END = /^(Map|Parallel)State(Succeeded|Failed|Aborted|Exited)$/;

/** A context without the "scope opener" marks (only the Started events carry them). */
function strip(ctx: Ctx): Ctx {
  return { scope: ctx.scope, node: ctx.node, visit: ctx.visit, iteration: ctx.iteration, iterOf: ctx.iterOf, outer: ctx.outer };
}

export class ExecutionModel {
  events: HistoryEvent[] = [];
  /** The state each event belongs to (parallel to `events`; "" for execution events). */
  steps: string[] = [];
  visits: Visit[] = [];
  /** Visits of each graph node, in order. */
  byNode = new Map<string, number[]>();
  maps = new Map<string, MapProgress>();
  /** Map node → iteration index → status. */
  iterations = new Map<string, Map<number, string>>();
  status = "RUNNING";
  startMs = 0;
  stopMs: number | undefined;
  /** Visits before this index happened before the latest redrive (ExecutionRedriven). */
  private redriveFrom = 0;
  private ctx: Ctx[] = [];
  private open = new Set<number>();

  constructor(private nodeIds: Set<string>, private branches: (parallelNode: string) => number) {}

  get lastSeq(): number {
    return this.events.length ? this.events[this.events.length - 1].seq : 0;
  }

  add(event: HistoryEvent): void {
    const ms = Date.parse(event.timestamp);
    this.events.push(event);
    const base = this.ctx[event.previousEventId] ?? ROOT;
    // An ordinary event stays in its predecessor's state, branch and iteration; only the
    // Parallel/Map start events open a scope, for the events chained directly to them.
    let ctx: Ctx = { scope: base.scope, node: base.node, visit: base.visit, iteration: base.iteration, iterOf: base.iterOf, outer: base.outer };
    const d = details(event);
    const type = event.type;
    if (type === "ExecutionStarted") {
      this.startMs = ms;
      ctx = ROOT;
    } else if (type.endsWith("StateEntered")) {
      const name = String(d.name ?? "");
      const scope = base.parallel ? this.branchOf(base.parallel, name) : base.scope;
      const node = stateId(scope, name);
      const visit: Visit = {
        index: this.visits.length, node, name, stateType: type.slice(0, -"StateEntered".length),
        iteration: base.iteration, entered: event, input: str(d.input), attempts: [], startMs: ms, events: [],
      };
      this.visits.push(visit);
      this.open.add(visit.index);
      const list = this.byNode.get(node) ?? [];
      list.push(visit.index);
      this.byNode.set(node, list);
      const outer = base.parallel ? strip(base) : base.outer;
      ctx = { scope, node, visit: visit.index, iteration: base.iteration, iterOf: base.iterOf, outer };
    } else if (type === "ParallelStateStarted") {
      ctx.parallel = base.node;
    } else if (type === "MapStateStarted") {
      ctx.map = base.node;
      if (base.node) this.maps.set(base.node, { total: Number(d.length ?? 0), succeeded: 0, failed: 0, running: 0, aborted: 0 });
    } else if (type === "MapIterationStarted" && base.map) {
      const index = Number(d.index ?? 0);
      const label = `${String(d.name ?? "")}[${index}]`;
      ctx = { scope: processorScopeId(base.map), iteration: base.iteration ? `${base.iteration}/${label}` : label, iterOf: base.map, outer: strip(base) };
      this.iteration(base.map, index, "running");
    } else if (CONTAINER_END.test(type)) {
      // The container's own end events may chain to the last event of a branch (our
      // evaluator) or to its Started event (AWS): either way they belong to the container.
      const kind = type.startsWith("Map") ? "Map" : "Parallel";
      let at: Ctx | undefined = base;
      while (at && !(at.visit !== undefined && this.visits[at.visit].stateType === kind)) at = at.outer;
      if (at) ctx = strip(at);
    } else if (type.startsWith("MapIteration") && base.iterOf) {
      const status = type.slice("MapIteration".length).toLowerCase();
      this.iteration(base.iterOf, Number(d.index ?? 0), status);
      if (status === "aborted" || status === "failed") this.closeIteration(base.iteration, event, ms, status);
      ctx.visit = undefined;
    }
    this.ctx[event.id] = ctx;

    const visit = ctx.visit !== undefined ? this.visits[ctx.visit] : undefined;
    this.steps.push(type.startsWith("Execution") ? "" : visit ? visit.name : String(d.name ?? ""));
    if (visit) {
      visit.events.push(event.seq);
      this.onVisitEvent(visit, event, d, ms);
    }
    if (type === "ExecutionSucceeded" || type === "ExecutionFailed" || type === "ExecutionAborted" || type === "ExecutionTimedOut") {
      this.status = type === "ExecutionTimedOut" ? "TIMED_OUT" : type.slice("Execution".length).toUpperCase();
      this.stopMs = ms;
      // The state that failed the execution is the one its cause names ("…executing the
      // state 'X'…") or that recorded a failure; other states still open were cut short.
      const failure = { error: str(d.error), cause: str(d.cause), event };
      // ExecutionFailed follows on (previousEventId) from the state that failed it: a Fail
      // state's FailStateEntered, a Task's TaskFailed.
      const culprit = base.visit !== undefined ? this.visits[base.visit] : undefined;
      for (const i of this.open) {
        const v = this.visits[i];
        v.endMs = ms;
        if (this.status === "FAILED" && !v.failure && (v === culprit || failure.cause?.includes(`state '${v.name}'`))) v.failure = failure;
        // Still open when the execution ended: cut short (and stays so after a redrive).
        if (this.status !== "SUCCEEDED" && !v.failure) v.aborted = v.aborted ?? event;
      }
      this.open.clear();
      // Iterations still running when the execution ended were cut short with it.
      if (this.status !== "SUCCEEDED") {
        for (const [map, states] of this.iterations) {
          for (const [index, status] of states) if (status === "running") this.iteration(map, index, "aborted");
        }
      }
    } else if (type === "ExecutionRedriven") {
      this.status = "RUNNING";
      this.stopMs = undefined;
      this.redriveFrom = this.visits.length;
    }
  }

  private onVisitEvent(visit: Visit, event: HistoryEvent, d: Record<string, unknown>, ms: number): void {
    const type = event.type;
    const last = visit.attempts[visit.attempts.length - 1];
    if (SCHEDULED.test(type)) {
      visit.attempts.push({ scheduled: event, outcome: "running", input: str(d.parameters ?? d.input), startMs: ms });
    } else if (STARTED.test(type) && last) {
      last.started = event;
    } else if (SUCCEEDED.test(type) && last) {
      Object.assign(last, { end: event, outcome: "succeeded", output: str(d.output), endMs: ms });
    } else if (FAILED.test(type) && last) {
      Object.assign(last, { end: event, outcome: type.endsWith("TimedOut") ? "timed-out" : "failed", error: str(d.error), cause: str(d.cause), endMs: ms });
      visit.failure = { error: str(d.error), cause: str(d.cause), event };
    } else if (STATE_FAILED.test(type)) {
      visit.failure = { error: str(d.error), cause: str(d.cause), event };
    } else if (STATE_ABORTED.test(type)) {
      visit.aborted = event;
      visit.endMs = ms;
      this.open.delete(visit.index);
    } else if (type.endsWith("StateExited") && event !== visit.entered) {
      visit.exited = event;
      visit.output = str(d.output);
      visit.endMs = ms;
      this.open.delete(visit.index);
    }
  }

  /** An iteration ended without success: the visits still open in it end with it. */
  private closeIteration(iteration: string, event: HistoryEvent, ms: number, status: string): void {
    for (const i of this.open) {
      const v = this.visits[i];
      if (v.iteration !== iteration && !v.iteration.startsWith(`${iteration}/`)) continue;
      v.endMs = ms;
      // A Fail state ends its iteration as failed (the error is the Map's, recorded next).
      if (status === "failed" && v.stateType === "Fail") v.failure = v.failure ?? { event };
      else v.aborted = v.aborted ?? event;
      this.open.delete(i);
    }
  }

  private iteration(map: string, index: number, status: string): void {
    const states = this.iterations.get(map) ?? new Map<number, string>();
    this.iterations.set(map, states);
    const progress = this.maps.get(map);
    const before = states.get(index);
    states.set(index, status);
    if (!progress) return;
    const bump = (s: string | undefined, by: number) => {
      if (s === "running") progress.running += by;
      else if (s === "succeeded") progress.succeeded += by;
      else if (s === "failed") progress.failed += by;
      else if (s === "aborted") progress.aborted += by;
    };
    bump(before, -1);
    bump(status, 1);
  }

  private branchOf(parallelNode: string, name: string): string {
    const count = this.branches(parallelNode);
    for (let i = 0; i < count; i++) {
      const scope = branchScopeId(parallelNode, i);
      if (this.nodeIds.has(stateId(scope, name))) return scope;
    }
    return branchScopeId(parallelNode, 0);
  }

  visitStatus(visit: Visit): NodeStatus {
    if (visit.exited) {
      // Caught: it left through a Catch, i.e. its last attempt (or the state) failed. A
      // failed attempt followed by a successful retry is a plain success.
      const last = visit.attempts[visit.attempts.length - 1];
      return visit.failure && (!last || last.outcome !== "succeeded") ? "caught" : "succeeded";
    }
    // The state whose error ended its branch, iteration or the execution is the failed one,
    // even when AWS records it aborted too (a failing Parallel branch's state).
    // A stop cuts everything short, a failed attempt waiting for its retry too.
    const last = visit.attempts[visit.attempts.length - 1];
    const ended = this.status !== "RUNNING" || visit.endMs !== undefined;
    if (this.status !== "ABORTED" && visit.failure && (!last || last.outcome !== "succeeded") && ended) return "failed";
    if (visit.aborted || this.status === "ABORTED") return "aborted";
    if (this.status === "RUNNING") return "in-progress";
    return this.status === "SUCCEEDED" ? "succeeded" : "aborted";
  }

  /** A node's status: the worst of its open visits, else its latest visit's. */
  nodeStatus(node: string): NodeStatus {
    const list = this.byNode.get(node);
    if (!list || list.length === 0) return "not-reached";
    let status: NodeStatus = this.visitStatus(this.visits[list[list.length - 1]]);
    const last = list[list.length - 1];
    for (const i of list) {
      // A visit that a redrive re-ran the state after is history, not the state's status.
      if (i < this.redriveFrom && last >= this.redriveFrom) continue;
      const s = this.visitStatus(this.visits[i]);
      if (s === "failed") return "failed";
      if (s === "in-progress" || s === "aborted") status = s;
    }
    return status;
  }

  /** Retries of a node: attempts beyond the first, over all its visits. */
  retries(node: string): number {
    let n = 0;
    for (const i of this.byNode.get(node) ?? []) n += Math.max(0, this.visits[i].attempts.length - 1);
    return n;
  }

  visitCount(node: string): number {
    return this.byNode.get(node)?.length ?? 0;
  }

  /** An independent copy that add() can continue (replay checkpoints, live/replay/). Events
   * and contexts are shared: neither is changed once recorded. */
  clone(): ExecutionModel {
    const copy = new ExecutionModel(this.nodeIds, this.branches);
    copy.events = this.events.slice();
    copy.steps = this.steps.slice();
    copy.visits = this.visits.map((v) => ({ ...v, attempts: v.attempts.map((a) => ({ ...a })), events: v.events.slice() }));
    copy.byNode = new Map([...this.byNode].map(([k, list]) => [k, list.slice()]));
    copy.maps = new Map([...this.maps].map(([k, p]) => [k, { ...p }]));
    copy.iterations = new Map([...this.iterations].map(([k, m]) => [k, new Map(m)]));
    copy.status = this.status;
    copy.startMs = this.startMs;
    copy.stopMs = this.stopMs;
    copy.redriveFrom = this.redriveFrom;
    copy.ctx = this.ctx.slice();
    copy.open = new Set(this.open);
    return copy;
  }
}
