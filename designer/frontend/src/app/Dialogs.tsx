// Modal dialogs: import, export, save as a new version, versions with diff,
// start execution, and "leave without saving?".

import { useEffect, useMemo, useState } from "react";
import { ApiError, encodeName } from "../api/client";
import { toGraph } from "../asl/toGraph";
import { isObject, type StateMachine } from "../asl/types";
import { DiffView } from "../code/DiffView";
import { formatDoc, parseSource } from "../code/source";
import { documentText } from "../store/store";
import { download, graphToSvg, svgToPng } from "../export/svg";
import { useStore } from "../store/useStore";
import { describeCodeError } from "../validation/jsonError";
import { countProblems, isEmptyMachine, toProblems } from "../validation/problems";
import { fromServer } from "../validation/severity";
import { useServices } from "./context";
import { isDirty, markSaved } from "./dirty";
import { ExecuteDialog } from "./ExecuteDialog";
import { Modal } from "./Modal";
import type { DialogName } from "./Toolbar";

/** A definition file: JSON, where SAM's bare `${Name}` placeholders may stand for values. */
function parseDefinition(text: string): { value?: unknown; error?: string } {
  try {
    return { value: parseSource(text).doc };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function countStates(value: unknown): number {
  if (!isObject(value) || !isObject(value.States)) return 0;
  let n = 0;
  for (const state of Object.values(value.States)) {
    n++;
    if (!isObject(state)) continue;
    for (const b of Array.isArray(state.Branches) ? state.Branches : []) n += countStates(b);
    n += countStates(state.ItemProcessor ?? state.Iterator);
  }
  return n;
}

function ImportDialog({ onClose, load }: { onClose: () => void; load: (d: StateMachine | string) => void }) {
  const { prefetchLayout } = useServices();
  const [text, setText] = useState("");
  // Parsed once per text (a pasted definition can be large), not once per render.
  const parsed = useMemo(() => (text.trim() ? parseDefinition(text) : {}), [text]);
  const error = parsed.error ?? (parsed.value !== undefined && !isObject(parsed.value) ? "A definition is a JSON object ({ … })" : null);
  // Lay the pasted definition out while the person reaches for Import: a big one is then
  // drawn as soon as it is imported (the layout runs in a worker; the dialog stays responsive).
  useEffect(() => {
    const value = parsed.value;
    if (isObject(value) && isObject(value.States)) prefetchLayout(value as StateMachine);
  }, [parsed.value, prefetchLayout]);
  const states = !error && parsed.value !== undefined ? countStates(parsed.value) : 0;
  const onFile = async (file: File | undefined) => file && setText(await file.text());
  return (
    <Modal title="Import definition" onClose={onClose}>
      <p className="sd-muted">Paste Amazon States Language JSON or choose a file. <code>{"${Name}"}</code> substitutions (SAM, CDK) are kept as written. It replaces the canvas; Undo brings the current one back.</p>
      <textarea className="sd-textarea sd-mono" rows={14} value={text} onChange={(e) => setText(e.target.value)} aria-label="Definition to import" data-testid="import-text" spellCheck={false} autoFocus />
      {error && <p className="sd-error">{error}</p>}
      {!error && parsed.value !== undefined && (
        <p className="sd-muted" data-testid="import-summary">
          {states} state{states === 1 ? "" : "s"}
        </p>
      )}
      <footer>
        <label className="sd-btn">
          Choose file…
          <input type="file" accept=".json,.asl.json,application/json" hidden onChange={(e) => void onFile(e.target.files?.[0])} data-testid="import-file" />
        </label>
        <span className="sd-spacer" />
        <button type="button" className="sd-btn" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="sd-btn sd-btn-primary"
          disabled={!text.trim() || !!error}
          onClick={() => {
            // Close first: the dialog's big textarea need not be laid out again with the graph.
            onClose();
            // The text itself: the designer keeps it and writes edits back into it.
            load(text);
          }}
          data-action="do-import"
        >
          Import
        </button>
      </footer>
    </Modal>
  );
}

function ExportDialog({ onClose, name }: { onClose: () => void; name: string | null }) {
  const { store, notify } = useServices();
  const base = name ?? "state-machine";
  const svg = () => {
    const s = store.get();
    return graphToSvg(toGraph(s.doc), s.layout, s.routes);
  };
  const actions: [string, string, () => Promise<void> | void][] = [
    ["json", "Download JSON", () => download(`${base}.asl.json`, documentText(store.get()))],
    [
      "copy",
      "Copy JSON",
      async () => {
        await navigator.clipboard.writeText(documentText(store.get()));
        notify("Definition copied");
      },
    ],
    ["svg", "Download SVG", () => download(`${base}.svg`, svg(), "image/svg+xml")],
    ["png", "Download PNG", async () => download(`${base}.png`, await svgToPng(svg()))],
  ];
  return (
    <Modal title="Export" onClose={onClose}>
      <div className="sd-export-grid">
        {actions.map(([key, label, act]) => (
          <button
            key={key}
            type="button"
            className="sd-btn"
            data-export={key}
            onClick={async () => {
              try {
                await act();
              } catch (e) {
                notify((e as Error).message, "error");
              }
            }}
          >
            {label}
          </button>
        ))}
      </div>
    </Modal>
  );
}

/** Why Save refuses, or null: what AWS would refuse (errors), text that is not JSON, no states. */
function SaveRefusal({ onShowProblems }: { onShowProblems: (codeTab: boolean) => void }) {
  const { store } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const codeError = useStore(store, (s) => s.codeError);
  if (codeError) {
    return (
      <div className="sd-refusal" role="alert" data-testid="save-refusal">
        <strong>Save needs valid JSON.</strong> The Definition tab's text does not parse ({describeCodeError(codeError)}). Fix it there, or replace it with the graph's definition.{" "}
        <button type="button" className="sd-link" onClick={() => onShowProblems(true)}>
          Show me
        </button>
      </div>
    );
  }
  if (isEmptyMachine(doc)) {
    return (
      <div className="sd-refusal" role="alert" data-testid="save-refusal">
        <strong>Nothing to save yet.</strong> Add at least one state first.
      </div>
    );
  }
  const problems = toProblems({ doc, diagnostics, codeError }).filter((p) => p.severity === "error");
  if (!problems.length) return null;
  const { errors } = countProblems(problems);
  return (
    <div className="sd-refusal" role="alert" data-testid="save-refusal">
      <strong>
        Save needs a valid definition: {errors} error{errors > 1 ? "s" : ""} to fix first
      </strong>{" "}
      (warnings do not block saving).
      <ul>
        {problems.slice(0, 3).map((p) => (
          <li key={p.key}>
            <strong>{p.where}</strong> · {p.text}
          </li>
        ))}
        {problems.length > 3 && <li>… and {problems.length - 3} more</li>}
      </ul>
      <button type="button" className="sd-link" onClick={() => onShowProblems(false)}>
        Show all problems
      </button>
    </div>
  );
}

function useSaveBlocked(): boolean {
  const { store } = useServices();
  return useStore(store, (s) => !!s.codeError || isEmptyMachine(s.doc) || toProblems(s).some((p) => p.severity === "error"));
}

function SaveDialog({ onClose, name, onSaved, onShowProblems }: { onClose: () => void; name: string | null; onSaved: (n: string) => void; onShowProblems: (codeTab: boolean) => void }) {
  const { api, store, notify } = useServices();
  const blocked = useSaveBlocked();
  const [newName, setNewName] = useState(name ?? "");
  const [type, setType] = useState("STANDARD");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    // As text: bare `${Name}` placeholders are not JSON values, and the author's layout stays.
    const sent = store.get();
    const definition = documentText(sent);
    const { exampleInput, savedExampleInput } = sent;
    try {
      let target = name;
      if (!target) {
        await api.post("/api/state-machines/", { name: newName, type, definition, description, example_input: exampleInput });
        target = newName;
      } else if (JSON.stringify(exampleInput) !== JSON.stringify(savedExampleInput)) {
        await api.patch(`/api/state-machines/${encodeName(target)}/`, { example_input: exampleInput });
      }
      store.set({ savedExampleInput: exampleInput });
      const version = await api.post<{ version: number }>(`/api/state-machines/${encodeName(target)}/versions/`, { description, definition });
      // What was sent is saved; edits made while the request was out stay unsaved.
      markSaved(store, sent.doc);
      onSaved(target);
      if (!name) window.history.replaceState(null, "", `/designer/${encodeName(target)}/`);
      notify(`Saved ${target} as version ${version.version}`);
      onClose();
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.detail);
        if (e.diagnostics.length) store.set({ diagnostics: e.diagnostics.map(fromServer) });
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={name ? `Save ${name} as a new version` : "Save new state machine"} onClose={onClose}>
      {!name && (
        <>
          <label className="sd-field">
            <span>Name</span>
            <input className="sd-input" value={newName} onChange={(e) => setNewName(e.target.value)} data-field="save-name" autoFocus />
          </label>
          <label className="sd-field">
            <span>Type</span>
            <select className="sd-input" value={type} onChange={(e) => setType(e.target.value)}>
              <option value="STANDARD">Standard</option>
              <option value="EXPRESS">Express</option>
            </select>
          </label>
        </>
      )}
      <label className="sd-field">
        <span>Version description</span>
        <textarea className="sd-textarea" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-field="save-description" />
      </label>
      {error && <p className="sd-error">{error}</p>}
      <SaveRefusal onShowProblems={onShowProblems} />
      <footer>
        <span className="sd-spacer" />
        <button type="button" className="sd-btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="sd-btn sd-btn-primary" disabled={busy || blocked || (!name && !newName.trim())} onClick={() => void save()} data-action="do-save">
          {busy ? "Saving…" : "Save version"}
        </button>
      </footer>
    </Modal>
  );
}

interface Version {
  version: number;
  description: string;
  definition: StateMachine | string;
  /** The text as written while `${Name}` placeholders are left in it, else "". */
  definition_text?: string;
  created: string;
}

const asText = (v: Version) => v.definition_text || formatDoc(typeof v.definition === "string" ? JSON.parse(v.definition) : v.definition);

function VersionsDialog({ onClose, name, load }: { onClose: () => void; name: string; load: (d: StateMachine | string) => void }) {
  const { api, store } = useServices();
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Version | null>(null);
  useEffect(() => {
    api
      .get<Version[] | { results: Version[] }>(`/api/state-machines/${encodeName(name)}/versions/`)
      .then((r) => setVersions(Array.isArray(r) ? r : r.results))
      .catch((e: Error) => setError(e.message));
  }, [api, name]);
  return (
    <Modal title={`Versions of ${name}`} onClose={onClose} wide>
      {error && <p className="sd-error">{error}</p>}
      <div className="sd-versions">
        <ul className="sd-version-list">
          {versions?.length === 0 && <li className="sd-muted">No versions yet</li>}
          {versions?.map((v) => (
            <li key={v.version}>
              <button type="button" className={`sd-version${picked?.version === v.version ? " active" : ""}`} onClick={() => setPicked(v)} data-version={v.version}>
                <strong>Version {v.version}</strong>
                <span>{v.description || "No description"}</span>
                <time>{new Date(v.created).toLocaleString()}</time>
              </button>
            </li>
          ))}
        </ul>
        <div className="sd-version-diff">
          {picked ? (
            <>
              <div className="sd-diff-heads">
                <span>Version {picked.version}</span>
                <span>Current editor</span>
              </div>
              <DiffView left={asText(picked)} right={documentText(store.get())} />
              <footer>
                <span className="sd-spacer" />
                <button
                  type="button"
                  className="sd-btn"
                  onClick={() => {
                    load(asText(picked));
                    onClose();
                  }}
                >
                  Open this version in the editor
                </button>
              </footer>
            </>
          ) : (
            <p className="sd-muted">Pick a version to compare it with the editor.</p>
          )}
        </div>
      </div>
    </Modal>
  );
}

// The designer's Start dialog: the example input being edited (unsaved) comes first.
function DesignerExecuteDialog({ onClose, name }: { onClose: () => void; name: string }) {
  const { api, store, navigate } = useServices();
  const exampleInput = useStore(store, (s) => s.exampleInput);
  const dirty = useStore(store, isDirty);
  return <ExecuteDialog onClose={onClose} name={name} api={api} exampleInput={exampleInput} unsaved={dirty} navigate={navigate} />;
}

export function LeaveDialog({ name, onAnswer }: { name: string | null; onAnswer: (leave: boolean) => void }) {
  return (
    <Modal title="Leave without saving?" onClose={() => onAnswer(false)}>
      <p>
        Changes to <strong>{name ?? "this new state machine"}</strong> since the last save will be lost.
      </p>
      <footer>
        <span className="sd-spacer" />
        <button type="button" className="sd-btn" onClick={() => onAnswer(false)} data-action="stay" autoFocus>
          Stay on this page
        </button>
        <button type="button" className="sd-btn sd-btn-danger-solid" onClick={() => onAnswer(true)} data-action="leave">
          Leave without saving
        </button>
      </footer>
    </Modal>
  );
}

export function Dialogs(props: {
  open: DialogName | null;
  onClose: () => void;
  name: string | null;
  onSaved: (n: string) => void;
  load: (d: StateMachine | string) => void;
  onShowProblems: (codeTab: boolean) => void;
}) {
  const { open, onClose, name } = props;
  if (open === "import") return <ImportDialog onClose={onClose} load={props.load} />;
  if (open === "export") return <ExportDialog onClose={onClose} name={name} />;
  if (open === "save") return <SaveDialog onClose={onClose} name={name} onSaved={props.onSaved} onShowProblems={props.onShowProblems} />;
  if (open === "versions" && name) return <VersionsDialog onClose={onClose} name={name} load={props.load} />;
  if (open === "execute" && name) return <DesignerExecuteDialog onClose={onClose} name={name} />;
  return null;
}
