// window.stepstudio.designer: the page's programmatic face, for embedding
// and for tests. load() is one undoable edit; toASL() returns a copy.

import { clone, type StateMachine } from "./asl/types";
import type { Designer } from "./app/createDesigner";
import type { ValidationResult } from "./validation/controller";
import { lastElkMs } from "./layout/runner";

export interface DesignerApi {
  load(asl: StateMachine | string): void;
  toASL(): StateMachine;
  validate(): Promise<ValidationResult>;
  /** Resolves when the current document is laid out (for embedders that screenshot or measure). */
  whenLaidOut(): Promise<void>;
  undo(): void;
  redo(): void;
  /** Timings of the last layout in ms: the whole of it, and the worker round trip. */
  layoutTimings(): { total: number; elk: number };
}

export function installEmbed(designer: Designer, target: Window = window): DesignerApi {
  const api: DesignerApi = {
    load: (asl) => designer.load(asl),
    toASL: () => clone(designer.services.store.get().doc),
    validate: () => designer.validation.validate(),
    whenLaidOut: () => designer.layout.schedule(),
    undo: () => designer.services.stack.undo(),
    redo: () => designer.services.stack.redo(),
    layoutTimings: () => ({ total: designer.layout.lastDuration, elk: lastElkMs }),
  };
  const w = target as Window & { stepstudio?: Record<string, unknown> };
  w.stepstudio = { ...(w.stepstudio ?? {}), designer: api };
  return api;
}
