// The home page's dialogs: create a state machine, start an execution (the designer's
// dialog), delete a state machine.

import { useState } from "react";
import type { Api } from "../api/client";
import { ExecuteDialog } from "../app/ExecuteDialog";
import { Modal } from "../app/Modal";

export type HomeDialog = { kind: "create" } | { kind: "start"; name: string } | { kind: "delete"; name: string; running: number; next: string };

export function HomeDialogs({ dialog, api, csrfToken, onClose }: { dialog: HomeDialog | null; api: Api; csrfToken: string; onClose: () => void }) {
  if (!dialog) return null;
  if (dialog.kind === "create") return <CreateDialog csrfToken={csrfToken} onClose={onClose} />;
  if (dialog.kind === "start") return <ExecuteDialog api={api} name={dialog.name} onClose={onClose} />;
  return <DeleteDialog {...dialog} csrfToken={csrfToken} onClose={onClose} />;
}

const TYPES = [
  ["STANDARD", "Standard", "Durable, exactly-once steps; runs up to a year; full history."],
  ["EXPRESS", "Express", "Short, high-volume runs (up to 5 minutes); can be started synchronously."],
] as const;

function CreateDialog({ csrfToken, onClose }: { csrfToken: string; onClose: () => void }) {
  const [name, setName] = useState("");
  const [type, setType] = useState("STANDARD");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      // The page's own create view (the no-script form posts there too): it answers JSON
      // to a caller that asks for it.
      const response = await fetch("/state-machines/new/", {
        method: "POST",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
        body: new URLSearchParams({ name: name.trim(), type }),
      });
      const answer = (await response.json().catch(() => ({}))) as { url?: string; error?: string };
      if (response.ok && answer.url) {
        window.location.assign(answer.url);
        return;
      }
      setError(answer.error ?? `${response.status} ${response.statusText}`);
    } catch (e) {
      setError(String(e));
    }
    setBusy(false);
  };
  return (
    <Modal title="Create state machine" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <p className="sd-muted sd-flush">It starts with one Pass state and opens in the designer.</p>
        <label className="sd-field">
          <span>Name</span>
          <input className="sd-input" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoFocus autoComplete="off" spellCheck={false} data-field="create-name" />
          <small>Letters, digits, - and _ (no spaces); unique among your state machines.</small>
        </label>
        <fieldset className="sd-field sd-choices">
          <legend className="sd-field-label">Type</legend>
          {TYPES.map(([value, label, help]) => (
            <label key={value} className={`sd-choice${type === value ? " checked" : ""}`}>
              <input type="radio" name="type" value={value} checked={type === value} onChange={() => setType(value)} data-field={`create-type-${value}`} />
              <span>
                <strong>{label}</strong> {help}
              </span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="sd-error" role="alert" data-testid="create-error">
            {error}
          </p>
        )}
        <footer>
          <span className="sd-spacer" />
          <button type="button" className="sd-btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="sd-btn sd-btn-primary" disabled={busy || !name.trim()} data-action="do-create">
            {busy ? "Creating…" : "Create and open the designer"}
          </button>
        </footer>
      </form>
    </Modal>
  );
}

function DeleteDialog({ name, running, next, csrfToken, onClose }: { name: string; running: number; next: string; csrfToken: string; onClose: () => void }) {
  return (
    <Modal title={`Delete ${name}?`} onClose={onClose}>
      {/* A plain form post: the list comes back with the outcome as a message. */}
      <form method="post" action={`/state-machines/${encodeURIComponent(name)}/delete/`} data-testid="delete-dialog">
        <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <p className="sd-text">
          Delete the state machine <strong className="sd-break">{name}</strong>? Its versions, all its executions and their history are deleted with it. This cannot be undone.
        </p>
        {running > 0 ? (
          <p className="sd-warning" data-testid="running-warning">
            <strong>
              {running} execution{running === 1 ? " is" : "s are"} running.
            </strong>{" "}
            As in AWS Step Functions, deleting a state machine stops its running executions: they end as Aborted and take no further step.
          </p>
        ) : (
          <p className="sd-muted sd-flush">None of its executions is running.</p>
        )}
        <footer>
          <span className="sd-spacer" />
          <button type="button" className="sd-btn" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="submit" className="sd-btn sd-btn-danger-solid" data-action="do-delete">
            Delete state machine
          </button>
        </footer>
      </form>
    </Modal>
  );
}
