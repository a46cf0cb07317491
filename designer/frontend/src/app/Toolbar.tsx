// The top bar: where you are (breadcrumb, name, unsaved marker), undo/redo, layout, the
// validation status (a button that opens the Problems panel), import/export, save,
// versions and start execution.

import { useEffect, useReducer } from "react";
import { viewport } from "../canvas/viewport";
import { useStore } from "../store/useStore";
import { countProblems, isEmptyMachine, toProblems } from "../validation/problems";
import { useServices } from "./context";
import { isDirty } from "./dirty";

export type DialogName = "import" | "export" | "save" | "versions" | "execute";

function Status({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { store } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const codeError = useStore(store, (s) => s.codeError);
  const problems = toProblems({ doc, diagnostics, codeError });
  const { errors, warnings } = countProblems(problems);
  let text: string;
  let tone: string;
  if (codeError) {
    text = `JSON: line ${codeError.line}, column ${codeError.column}`;
    tone = "bad";
  } else if (isEmptyMachine(doc)) {
    text = "No states yet";
    tone = "neutral";
  } else if (errors) {
    text = `${errors} error${errors > 1 ? "s" : ""}`;
    tone = "bad";
  } else if (warnings) {
    text = `${warnings} warning${warnings > 1 ? "s" : ""}`;
    tone = "warn";
  } else {
    text = "Valid";
    tone = "ok";
  }
  return (
    <button
      type="button"
      className={`sd-status ${tone}`}
      data-testid="validation-status"
      data-action="problems"
      aria-pressed={open}
      aria-label={`${text}: ${open ? "hide" : "show"} problems`}
      title={problems.length ? problems.map((p) => `${p.where}: ${p.text}`).join("\n") : open ? "Hide problems" : "Show problems"}
      onClick={onToggle}
    >
      {text}
    </button>
  );
}

export function Toolbar({ name, onOpen, problemsOpen, onToggleProblems }: { name: string | null; onOpen: (d: DialogName) => void; problemsOpen: boolean; onToggleProblems: () => void }) {
  const s = useServices();
  const [, refresh] = useReducer((x: number) => x + 1, 0);
  useEffect(() => s.stack.onChange(refresh), [s.stack]);
  const dirty = useStore(s.store, isDirty);

  return (
    <header className="sd-toolbar">
      <div className="sd-title">
        <a className="sd-breadcrumb" href="/" data-testid="breadcrumb-home">
          State machines
        </a>
        <span className="sd-breadcrumb-sep" aria-hidden="true">
          /
        </span>
        <strong data-testid="machine-name">{name ?? "New state machine"}</strong>
        {dirty && (
          <span className="sd-dirty" data-testid="dirty-marker" title="Changes since the last save: Save keeps them">
            Unsaved<span className="sd-dirty-more"> changes</span>
          </span>
        )}
      </div>
      <div className="sd-toolbar-group">
        <button type="button" className="sd-btn" onClick={() => s.stack.undo()} disabled={!s.stack.canUndo()} title="Undo (Ctrl+Z)" data-action="undo">
          Undo
        </button>
        <button type="button" className="sd-btn" onClick={() => s.stack.redo()} disabled={!s.stack.canRedo()} title="Redo (Ctrl+Shift+Z)" data-action="redo">
          Redo
        </button>
        <span className="sd-sep" />
        <button type="button" className="sd-btn" onClick={() => void s.relayout()} title="Lay out the graph again" data-action="relayout">
          Re-layout
        </button>
        <button type="button" className="sd-btn" onClick={() => viewport.fit()} title="Fit to screen (Alt+C centres the selection)" data-action="fit">
          Fit
        </button>
      </div>
      <div className="sd-toolbar-group">
        <Status open={problemsOpen} onToggle={onToggleProblems} />
        <button type="button" className="sd-btn" onClick={() => onOpen("import")} data-action="import">
          Import
        </button>
        <button type="button" className="sd-btn" onClick={() => onOpen("export")} data-action="export">
          Export
        </button>
        <button type="button" className="sd-btn" onClick={() => onOpen("versions")} disabled={!name} data-action="versions">
          Versions
        </button>
        <button type="button" className="sd-btn" onClick={() => onOpen("execute")} disabled={!name} data-action="execute">
          Start execution
        </button>
        <button type="button" className="sd-btn sd-btn-primary" onClick={() => onOpen("save")} title="Save a new version (Ctrl+S)" data-action="save">
          Save
        </button>
      </div>
    </header>
  );
}
