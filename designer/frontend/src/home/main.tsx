// The state machines home page (engine/templates/machines/list.html): the page works
// without this script (links and forms); with it, Create, Start and Delete open in-app
// dialogs instead of leaving the list. Start is the designer's own ExecuteDialog.

import "./home.css";
import { createRoot } from "react-dom/client";
import { createApi } from "../api/client";
import { HomeDialogs, type HomeDialog } from "./HomeDialogs";

interface HomeConfig {
  csrfToken?: string;
}

function readConfig(): HomeConfig {
  const el = document.getElementById("home-config");
  return el ? (JSON.parse(el.textContent || "{}") as HomeConfig) : {};
}

function start() {
  const host = document.getElementById("home-dialogs");
  if (!host) return;
  host.classList.add("sd-dialog-host");
  const config = readConfig();
  const csrfToken = config.csrfToken ?? "";
  const api = createApi(csrfToken || null);
  const root = createRoot(host);
  let opener: HTMLElement | null = null;
  const show = (dialog: HomeDialog | null) => {
    root.render(<HomeDialogs dialog={dialog} api={api} csrfToken={csrfToken} onClose={() => show(null)} />);
    // Focus goes back to what opened the dialog.
    if (!dialog && opener) opener.focus();
  };
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const el = (event.target as Element | null)?.closest<HTMLElement>("[data-action]");
    if (!el) return;
    const action = el.dataset.action;
    const name = el.dataset.name ?? "";
    let dialog: HomeDialog | null = null;
    if (action === "create") dialog = { kind: "create" };
    else if (action === "start" && name) dialog = { kind: "start", name };
    else if (action === "delete" && name) {
      dialog = { kind: "delete", name, running: Number(el.dataset.running || 0), next: window.location.pathname + window.location.search };
    }
    if (!dialog) return;
    event.preventDefault();
    opener = el;
    show(dialog);
  });
  show(null);
}

start();
