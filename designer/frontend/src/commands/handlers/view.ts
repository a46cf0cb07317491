// Handlers for where nodes are drawn. Drags record one moveNodes on drag
// stop (not one per mouse move); relayout drops every manual position so
// the automatic layout takes over again.

import type { Store, XY } from "../../store/store";
import type { CommandHandler } from "../CommandStack";

export interface MoveNodesContext {
  positions: Record<string, XY>;
  old?: Record<string, XY>;
}

export const moveNodesHandler: CommandHandler<MoveNodesContext> = {
  execute(ctx, store: Store) {
    ctx.old = store.get().manualPositions;
    store.set({ manualPositions: { ...ctx.old, ...ctx.positions }, dragPositions: {} });
  },
  revert(ctx, store: Store) {
    store.set({ manualPositions: ctx.old! });
  },
};

export interface RelayoutContext {
  old?: Record<string, XY>;
}

export const relayoutHandler: CommandHandler<RelayoutContext> = {
  execute(ctx, store: Store) {
    ctx.old = store.get().manualPositions;
    store.set({ manualPositions: {} });
  },
  revert(ctx, store: Store) {
    store.set({ manualPositions: ctx.old! });
  },
};
