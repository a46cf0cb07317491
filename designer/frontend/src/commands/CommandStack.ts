// Every edit of the designer is a named command run through this stack.
// A handler's `execute` stores in its context what `revert` needs; follow-up
// edits belong in preExecute/postExecute, which may execute further commands:
// all commands executed during one top-level execute share an action id, so
// one undo reverts one user action. execute/revert never call commands.

import type { Store } from "../store/store";

export interface CommandHandler<C = any> {
  preExecute?(context: C, stack: CommandStack): void;
  execute(context: C, store: Store): void;
  revert(context: C, store: Store): void;
  postExecute?(context: C, stack: CommandStack): void;
}

interface Entry {
  command: string;
  context: any;
  action: number;
}

export class CommandStack {
  private handlers = new Map<string, CommandHandler>();
  private done: Entry[] = [];
  private undone: Entry[] = [];
  private depth = 0;
  private currentAction = 0;
  private nextAction = 1;
  private listeners = new Set<() => void>();

  constructor(readonly store: Store) {}

  register(command: string, handler: CommandHandler): void {
    if (this.handlers.has(command)) throw new Error(`command ${command} registered twice`);
    this.handlers.set(command, handler);
  }

  execute<C>(command: string, context: C): C {
    const handler = this.handlers.get(command);
    if (!handler) throw new Error(`no handler for command ${command}`);
    if (this.depth === 0) {
      this.currentAction = this.nextAction++;
      this.undone = [];
    }
    this.depth++;
    try {
      handler.preExecute?.(context, this);
      handler.execute(context, this.store);
      this.done.push({ command, context, action: this.currentAction });
      handler.postExecute?.(context, this);
    } finally {
      this.depth--;
    }
    if (this.depth === 0) this.changed();
    return context;
  }

  canUndo(): boolean {
    return this.done.length > 0;
  }

  canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Revert every command of the last user action, newest first. */
  undo(): void {
    const last = this.done[this.done.length - 1];
    if (!last || this.depth > 0) return;
    const group: Entry[] = [];
    while (this.done.length && this.done[this.done.length - 1].action === last.action) {
      const entry = this.done.pop()!;
      this.handlers.get(entry.command)!.revert(entry.context, this.store);
      group.push(entry);
    }
    this.undone.push(...group);
    this.changed();
  }

  /** Re-execute the last undone action. Only `execute` runs: pre/post already produced their commands. */
  redo(): void {
    const last = this.undone[this.undone.length - 1];
    if (!last || this.depth > 0) return;
    while (this.undone.length && this.undone[this.undone.length - 1].action === last.action) {
      const entry = this.undone.pop()!;
      this.handlers.get(entry.command)!.execute(entry.context, this.store);
      this.done.push(entry);
    }
    this.changed();
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
