// Entry of the live view (static/designer/live.js): the execution page or the list page,
// whichever the server rendered. Exposes window.stepstudio.live for tests and scripts.

import "./live.css";
import { ExecutionPage } from "./page";
import { ExecutionListPage } from "./list";
import { installDebugActions } from "./debugActions";

function config<T>(id: string): T | null {
  const el = document.getElementById(id);
  return el ? (JSON.parse(el.textContent ?? "null") as T) : null;
}

declare global {
  interface Window {
    stepstudio?: Record<string, unknown>;
  }
}

const execution = config<import("./header").LiveConfig>("live-config");
const list = config<import("./list").ListConfig>("live-list-config");
window.stepstudio = window.stepstudio ?? {};
if (execution) {
  const page = new ExecutionPage(execution);
  window.stepstudio.live = page.api();
  installDebugActions(execution, () => page.api().status());
  void page.start();
} else if (list) {
  const page = new ExecutionListPage(list);
  window.stepstudio.liveList = page.api();
  page.start();
}
