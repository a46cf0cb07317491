// The machine's example input: not ASL, but an edit like any other (undoable, and it
// makes the machine differ from what was saved).

import type { CommandHandler } from "../CommandStack";

export interface SetExampleInputContext {
  value: unknown;
  previous?: unknown;
}

export const setExampleInputHandler: CommandHandler<SetExampleInputContext> = {
  execute(ctx, store) {
    ctx.previous = store.get().exampleInput;
    store.set({ exampleInput: ctx.value ?? null });
  },
  revert(ctx, store) {
    store.set({ exampleInput: ctx.previous ?? null });
  },
};
