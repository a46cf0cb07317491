// The top bar: undo/redo, layout, validation status, import/export, save,
// versions and start execution.

import { useEffect, useReducer } from "react";
import { viewport } from "../canvas/viewport";
import { useStore } from "../store/useStore";
import { useServices } from "./context";

export type DialogName = "import" | "export" | "save" | "versions" | "execute";

export function Toolbar({ name, onOpen }: { name: string | null; onOpen: (d: DialogName) => void }) {
  const s = useServices();
  const [, refresh] = useReducer((x: number) => x + 1, 0);
  useEffect(() => s.stack.onChange(refresh), [s.stack]);
  const diagnostics = useStore(s.store, (st) => st.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;

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
        <span className={`sd-status ${errors ? "bad" : warnings ? "warn" : "ok"}`} data-testid="validation-status" title={diagnostics.map((d) => `${d.location}: ${d.message}`).join("\n")}>
          {errors ? `${errors} error${errors > 1 ? "s" : ""}` : warnings ? `${warnings} warning${warnings > 1 ? "s" : ""}` : "Valid"}
        </span>
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
        <button type="button" className="sd-btn sd-btn-primary" onClick={() => onOpen("save")} data-action="save">
          Save
        </button>
      </div>
    </header>
  );
}
