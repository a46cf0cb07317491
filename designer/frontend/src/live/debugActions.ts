// The execution page's way from a failure to a fix (docs/testing.md): "Open in test" (the
// designer's Test tab with a case made of this execution's input and task results) and
// "Redrive with the new definition" (resume from the failed state on the machine's current
// definition; AWS's Redrive keeps the old one). The page reloads after such a redrive: its
// graph is drawn from the definition the execution runs.

import { h } from "./dom";
import type { LiveConfig } from "./header";

const REDRIVABLE = new Set(["FAILED", "TIMED_OUT", "ABORTED"]);

export function installDebugActions(config: LiveConfig, status: () => string): void {
  const actions = document.querySelector(".live-actions");
  if (!actions) return;
  const open = h("a", {
    class: "button", "data-action": "open-in-test",
    href: `/designer/${encodeURIComponent(config.stateMachine)}/?test_execution=${encodeURIComponent(config.id)}`,
    title: "Reproduce this execution in the designer's Test tab: its input, with its task results as mocks",
  }, "Open in test");
  const redrive = h("button", {
    type: "button", class: "button", "data-action": "redrive-new-definition",
    title: "Resume from the state that failed, on the state machine's current definition",
  }, "Redrive with the new definition") as HTMLButtonElement;
  const error = document.querySelector<HTMLElement>('[data-live="action-error"]');
  redrive.addEventListener("click", async () => {
    redrive.disabled = true;
    const response = await fetch(`${config.api}redrive-with-definition/`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": config.csrfToken },
      body: "{}",
    }).catch(() => null);
    if (response?.ok) {
      window.location.reload();
      return;
    }
    const body = response ? await response.json().catch(() => null) : null;
    if (error) {
      error.textContent = `Redrive with the new definition: ${body?.detail ?? "the server did not answer"}`;
      error.hidden = false;
    }
    refresh();
  });
  const refresh = () => {
    const can = REDRIVABLE.has(status());
    redrive.disabled = !can;
    // (The page's .button display rule would win over the hidden attribute.)
    redrive.style.display = can ? "" : "none";
  };
  const redriveButton = actions.querySelector('[data-action="redrive"]');
  if (redriveButton) redriveButton.after(redrive);
  else actions.append(redrive);
  actions.prepend(open);
  refresh();
  setInterval(refresh, 1000);
}
