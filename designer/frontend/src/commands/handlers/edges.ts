// Handlers for transitions: connect, reconnect, delete an edge.

import { connect, setEdgeTarget, type ConnectKind } from "../../asl/edit";
import type { GraphEdge } from "../../asl/graph";
import { parseStateId } from "../../asl/ids";
import { canConnect, canDeleteEdge } from "../../rules/rules";
import { docHandler, type DocContext } from "./docChange";

export interface ConnectContext extends DocContext {
  source: string;
  target: string;
  kind: ConnectKind;
}

export const connectHandler = docHandler<ConnectContext>((doc, ctx) => {
  if (!canConnect(doc, ctx.source, ctx.target, ctx.kind)) throw new Error("these states cannot be connected");
  return connect(doc, ctx.source, parseStateId(ctx.target).name, ctx.kind);
});

export interface ReconnectContext extends DocContext {
  edge: GraphEdge;
  target: string;
}

export const reconnectHandler = docHandler<ReconnectContext>((doc, ctx) => {
  const kind = ctx.edge.kind === "end" || ctx.edge.kind === "start" ? "next" : ctx.edge.kind;
  if (ctx.edge.kind !== "start" && !canConnect(doc, ctx.edge.source, ctx.target, kind)) {
    throw new Error("cannot reconnect there");
  }
  return setEdgeTarget(doc, ctx.edge, parseStateId(ctx.target).name);
});

export interface DeleteEdgeContext extends DocContext {
  edge: GraphEdge;
}

export const deleteEdgeHandler = docHandler<DeleteEdgeContext>(
  (doc, ctx) => (canDeleteEdge(ctx.edge) ? setEdgeTarget(doc, ctx.edge, null) : doc),
  { select: () => [] },
);
