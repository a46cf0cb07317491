// Wires the designer's parts together: one store, one command stack, the
// API client, and the controllers that keep layout and diagnostics current.

import { createApi, type Api } from "../api/client";
import { viewport } from "../canvas/viewport";
import { createCommandStack } from "../commands";
import { isObject, type StateMachine } from "../asl/types";
import { parseSource } from "../code/source";
import { LayoutController } from "../layout/controller";
import type { RunLayout } from "../layout/elk";
import { Store, initialState } from "../store/store";
import { ValidationController } from "../validation/controller";
import type { DesignerServices } from "./context";

export interface DesignerConfig {
  /** Name of the state machine being edited; null for a new one. */
  name: string | null;
  csrfToken: string | null;
  apiBase?: string;
}

export interface Designer {
  services: DesignerServices;
  layout: LayoutController;
  validation: ValidationController;
  /** Replace the document (embed API, import): one undoable command, then fit when laid out. */
  load(asl: StateMachine | string): void;
}

type Listener = (message: string, kind: "info" | "error") => void;

export function createDesigner(config: DesignerConfig, runLayout: RunLayout, api: Api = createApi(config.csrfToken, config.apiBase ?? "")): Designer & { onNotify(l: Listener): void } {
  const store = new Store(initialState());
  const stack = createCommandStack(store);
  const listeners = new Set<Listener>();
  const notify = (message: string, kind: "info" | "error" = "info") => listeners.forEach((l) => l(message, kind));
  const layout = new LayoutController(store, runLayout);
  // A load asked for a fit: fit to the new layout before it is drawn (see viewport.fitLayout).
  layout.beforeLanding = ({ positions }) => {
    if (viewport.hasFitRequest() && viewport.fitLayout(positions)) viewport.takeFitRequest();
  };
  const validation = new ValidationController(store, api);
  const services: DesignerServices = {
    store,
    stack,
    api,
    notify,
    run(command, context) {
      try {
        return stack.execute(command, context);
      } catch (error) {
        notify((error as Error).message, "error");
        return null;
      }
    },
    relayout: async () => {
      stack.execute("relayout", {});
      await layout.schedule(true);
      viewport.fit();
    },
    navigate: (href) => window.location.assign(href),
    prefetchLayout: (doc) => layout.prefetch(doc),
  };
  const load = (asl: StateMachine | string) => {
    // Text is kept as the document's source: `${Name}` placeholders (bare ones too) and the
    // author's formatting survive where nothing is edited.
    const read = typeof asl === "string" ? parseSource(asl) : { doc: asl, source: null };
    if (!isObject(read.doc)) throw new Error("a definition is a JSON object");
    viewport.requestFit();
    stack.execute("replaceDocument", { doc: read.doc as StateMachine, source: read.source, resetPositions: true });
  };
  // First layout and validation of the empty document; then, when the page is idle, warm
  // the layout worker up so the first big import does not pay for it.
  void layout.schedule(true).then(() => {
    const idle = (cb: () => void) => ("requestIdleCallback" in window ? window.requestIdleCallback(cb, { timeout: 3000 }) : setTimeout(cb, 1000));
    idle(() => void layout.warmUp());
  });
  validation.schedule();
  return { services, layout, validation, load, onNotify: (l: Listener) => void listeners.add(l) };
}
