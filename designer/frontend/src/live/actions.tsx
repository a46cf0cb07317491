// The live page's actions in in-app dialogs (the app's Modal, never window.confirm):
// New execution (the app's ExecuteDialog, prefilled with this execution's input, editable),
// Stop (what happens to running work, an optional error and cause) and Redrive (what it
// re-runs). The outcome of Stop / Redrive is reported by the page (header.ts) as the
// execution's status messages arrive.

import { useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { createApi } from "../api/client";
import { ExecuteDialog } from "../app/ExecuteDialog";
import { Modal } from "../app/Modal";
import { postJson } from "./http";

export type LiveDialog = { kind: "new" } | { kind: "stop" } | { kind: "redrive" };

export interface ActionContext {
  name: string;
  stateMachine: string;
  api: string;
  csrfToken: string;
  input: unknown;
  /** Called once the server accepted a stop / redrive (the socket brings the rest). */
  onDone: (kind: "stop" | "redrive") => void;
}

export class LiveActions {
  private root: Root;
  private opener: HTMLElement | null = null;

  constructor(host: HTMLElement, private ctx: ActionContext) {
    host.classList.add("sd-dialog-host");
    this.root = createRoot(host);
  }

  open(dialog: LiveDialog, opener?: HTMLElement | null): void {
    this.opener = opener ?? null;
    this.render(dialog);
  }

  private close = () => {
    this.render(null);
    this.opener?.focus();
  };

  private render(dialog: LiveDialog | null): void {
    this.root.render(<Dialogs dialog={dialog} ctx={this.ctx} onClose={this.close} />);
  }
}

function Dialogs({ dialog, ctx, onClose }: { dialog: LiveDialog | null; ctx: ActionContext; onClose: () => void }) {
  if (!dialog) return null;
  if (dialog.kind === "new") {
    return <ExecuteDialog api={createApi(ctx.csrfToken)} name={ctx.stateMachine} exampleInput={ctx.input ?? {}} onClose={onClose} />;
  }
  return <ConfirmDialog kind={dialog.kind} ctx={ctx} onClose={onClose} />;
}

function ConfirmDialog({ kind, ctx, onClose }: { kind: "stop" | "redrive"; ctx: ActionContext; onClose: () => void }) {
  const [error, setError] = useState("Stopped");
  const [cause, setCause] = useState("Stopped from the live view");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const stop = kind === "stop";
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    const result = await postJson(`${ctx.api}${kind}/`, stop ? { error: error.trim(), cause } : {}, ctx.csrfToken);
    if (result.ok) {
      ctx.onDone(kind);
      onClose();
      return;
    }
    setProblem(`${stop ? "Stop" : "Redrive"} failed: ${result.message}`);
    setBusy(false);
  };
  return (
    <Modal title={stop ? `Stop execution ${ctx.name}?` : `Redrive execution ${ctx.name}?`} onClose={onClose}>
      <form
        data-dialog={kind}
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        {stop ? (
          <>
            <p className="sd-flush">
              The execution ends <strong>ABORTED</strong>: the states, branches and Map iterations running now are aborted and nothing after them runs. A task handler already running finishes, but its result is dropped. You can redrive the execution later.
            </p>
            <label className="sd-field">
              <span>Error (optional)</span>
              <input className="sd-input" value={error} onChange={(e) => setError(e.target.value)} maxLength={256} data-field="stop-error" />
            </label>
            <label className="sd-field">
              <span>Cause (optional)</span>
              <input className="sd-input" value={cause} onChange={(e) => setCause(e.target.value)} data-field="stop-cause" />
            </label>
          </>
        ) : (
          <p className="sd-flush">
            The execution runs again from the state that failed or was stopped, with the input that state had. States that succeeded are not run again; inside a Map or Parallel only the iterations and branches that failed or were aborted run again. The history keeps everything and goes on.
          </p>
        )}
        {problem && <p className="sd-error" role="alert">{problem}</p>}
        <footer>
          <span className="sd-spacer" />
          <button type="button" className="sd-btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={`sd-btn ${stop ? "sd-btn-danger" : "sd-btn-primary"}`} disabled={busy} data-action={`confirm-${kind}`} autoFocus>
            {busy ? (stop ? "Stopping…" : "Redriving…") : stop ? "Stop execution" : "Redrive"}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
