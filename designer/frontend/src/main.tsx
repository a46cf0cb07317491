// Entry point: reads the page's config (state machine name, CSRF token)
// from the JSON script Django renders, loads the definition, mounts the app.

import "@xyflow/react/dist/style.css";
import "./styles.css";
import { createRoot } from "react-dom/client";
import { ApiError } from "./api/client";
import { Designer as DesignerApp } from "./app/Designer";
import { createDesigner, type DesignerConfig } from "./app/createDesigner";
import { markSaved } from "./app/dirty";
import type { StateMachine } from "./asl/types";
import { installEmbed } from "./embed";
import { createWorkerRunner } from "./layout/runner";

function readConfig(): DesignerConfig {
  const el = document.getElementById("designer-config");
  const data = el ? JSON.parse(el.textContent || "{}") : {};
  return { name: data.name ?? null, csrfToken: data.csrfToken ?? null, apiBase: data.apiBase ?? "" };
}

async function start() {
  const config = readConfig();
  const designer = createDesigner(config, createWorkerRunner());
  installEmbed(designer);
  const root = document.getElementById("designer-root");
  if (!root) throw new Error("#designer-root missing");
  createRoot(root).render(<DesignerApp designer={designer} config={config} />);
  if (config.name) {
    try {
      const machine = await designer.services.api.get<{ definition: StateMachine | string; definition_text?: string; example_input?: unknown }>(`/api/state-machines/${encodeURIComponent(config.name)}/`);
      // The text as written when it keeps `${Name}` placeholders (bare ones are not JSON).
      designer.load(machine.definition_text || machine.definition);
      const exampleInput = machine.example_input ?? null;
      designer.services.store.set({ exampleInput, savedExampleInput: exampleInput });
      // Opening a machine is not an edit the user should be able to undo, nor unsaved work.
      designer.services.stack.clear();
      markSaved(designer.services.store);
    } catch (e) {
      designer.services.notify(`Could not load ${config.name}: ${e instanceof ApiError ? e.detail : String(e)}`, "error");
    }
  }
}

void start();
