// Start an execution: optional name, JSON input (prefilled, see startInput.ts), then the
// live view. One component for the designer and the home page (src/home/).

import { useEffect, useState } from "react";
import { ApiError, encodeName, type Api } from "../api/client";
import { Modal, parseJson } from "./Modal";
import { EMPTY_INPUT, loadStartInput } from "./startInput";
import { SubstitutionFields, useSubstitutions } from "./Substitutions";

export function ExecuteDialog({
  onClose,
  name,
  api,
  exampleInput,
  unsaved = false,
  navigate = (href) => window.location.assign(href),
}: {
  onClose: () => void;
  name: string;
  api: Api;
  exampleInput?: unknown;
  /** The designer holds edits not saved yet: the execution runs the saved version. */
  unsaved?: boolean;
  navigate?: (href: string) => void;
}) {
  const substitutions = useSubstitutions(api, name);
  const [input, setInput] = useState<string | null>(null);
  const [execName, setExecName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    loadStartInput(api, name, exampleInput)
      .then((text) => live && setInput((current) => current ?? text))
      .catch(() => live && setInput((current) => current ?? EMPTY_INPUT));
    return () => {
      live = false;
    };
  }, [api, name, exampleInput]);
  const text = input ?? "";
  const parsed = input === null ? {} : parseJson(text);
  const start = async () => {
    setBusy(true);
    try {
      const body: Record<string, unknown> = { input: parsed.value };
      if (execName.trim()) body.name = execName.trim();
      if (Object.keys(substitutions.values).length) body.definitionSubstitutions = substitutions.values;
      const r = await api.post<{ url: string; id: string }>(`/api/state-machines/${encodeName(name)}/executions/`, body);
      onClose();
      navigate(r.url || `/executions/${r.id}/`);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
      setBusy(false);
    }
  };
  return (
    <Modal title={`Start execution of ${name}`} onClose={onClose}>
      {unsaved && (
        <p className="sd-notice" data-testid="execute-unsaved">
          This editor has unsaved changes: the execution runs the last saved version of {name}.
        </p>
      )}
      <label className="sd-field">
        <span>Execution name (optional)</span>
        <input className="sd-input" value={execName} onChange={(e) => setExecName(e.target.value)} placeholder="A unique id is generated when empty" data-field="execution-name" />
      </label>
      <label className="sd-field">
        <span>Input</span>
        <textarea
          className="sd-textarea sd-mono"
          rows={10}
          value={text}
          placeholder={input === null ? "Loading the example input…" : undefined}
          disabled={input === null}
          spellCheck={false}
          onChange={(e) => setInput(e.target.value)}
          data-field="execution-input"
        />
      </label>
      {parsed.error && <p className="sd-error">Input is not valid JSON: {parsed.error}</p>}
      <SubstitutionFields state={substitutions} />
      {error && <p className="sd-error">{error}</p>}
      <footer>
        <span className="sd-spacer" />
        <button type="button" className="sd-btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="sd-btn sd-btn-primary" disabled={input === null || !!parsed.error || busy || substitutions.missing.length > 0} onClick={() => void start()} data-action="do-execute">
          {busy ? "Starting…" : "Start execution"}
        </button>
      </footer>
    </Modal>
  );
}
