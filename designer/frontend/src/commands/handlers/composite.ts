// User actions made of several edits. They only run other commands in
// preExecute, so the whole action is one undo step.

import type { GraphEdge } from "../../asl/graph";
import type { CommandHandler } from "../CommandStack";

export interface DeleteSelectionContext {
  nodes: string[];
  edges: GraphEdge[];
}

export const deleteSelectionHandler: CommandHandler<DeleteSelectionContext> = {
  preExecute(ctx, stack) {
    // Edges first: their indexes (Choices[i], Catch[i]) are only valid before states change.
    // Highest index first, so removing one rule does not shift the next one.
    const edges = [...ctx.edges].sort((a, b) => (b.index ?? 0) - (a.index ?? 0));
    for (const edge of edges) stack.execute("deleteEdge", { edge });
    // A state inside a Parallel/Map that is deleted too goes with its container.
    for (const id of ctx.nodes) {
      if (ctx.nodes.some((other) => id.startsWith(`${other}/`))) continue;
      stack.execute("deleteState", { id });
    }
  },
  execute() {},
  revert() {},
};
