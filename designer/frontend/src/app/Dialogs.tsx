// Modal dialogs: import, export, save as a new version, versions with diff,
// start execution.

import { useEffect, useState } from "react";
import { ApiError, encodeName } from "../api/client";
import { toGraph } from "../asl/toGraph";
import { isObject, type StateMachine } from "../asl/types";
import { DiffView } from "../code/DiffView";
import { formatDoc } from "../code/CodeView";
import { useStore } from "../store/useStore";
import { download, graphToSvg, svgToPng } from "../export/svg";
import { useServices } from "./context";
import { ExecuteDialog } from "./ExecuteDialog";
import { Modal, parseJson } from "./Modal";
import type { DialogName } from "./Toolbar";

function ImportDialog({ onClose, load }: { onClose: () => void; load: (d: StateMachine) => void }) {
  const [text, setText] = useState("");
  const parsed = text.trim() ? parseJson(text) : {};
  const error = parsed.error ?? (parsed.value !== undefined && !isObject(parsed.value) ? "A definition is a JSON object" : null);
  const onFile = async (file: File | undefined) => file && setText(await file.text());
  return (
    <Modal title="Import definition" onClose={onClose}>
      <p className="sd-muted">Paste Amazon States Language JSON or choose a file. The import is one step you can undo.</p>
      <textarea className="sd-textarea sd-mono" rows={14} value={text} onChange={(e) => setText(e.target.value)} aria-label="Definition to import" data-testid="import-text" />
      {error && <p className="sd-error">{error}</p>}
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
            load(parsed.value as StateMachine);
            onClose();
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
    ["json", "Download JSON", () => download(`${base}.asl.json`, formatDoc(store.get().doc))],
    [
      "copy",
      "Copy JSON",
      async () => {
        await navigator.clipboard.writeText(formatDoc(store.get().doc));
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

function SaveDialog({ onClose, name, onSaved }: { onClose: () => void; name: string | null; onSaved: (n: string) => void }) {
  const { api, store, notify } = useServices();
  const [newName, setNewName] = useState(name ?? "");
  const [type, setType] = useState("STANDARD");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    const { doc: definition, exampleInput, savedExampleInput } = store.get();
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
      onSaved(target);
      if (!name) window.history.replaceState(null, "", `/designer/${encodeName(target)}/`);
      notify(`Saved ${target} as version ${version.version}`);
      onClose();
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.detail);
        if (e.diagnostics.length) store.set({ diagnostics: e.diagnostics.map((d) => ({ ...d, source: "server" })) });
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
      <footer>
        <span className="sd-spacer" />
        <button type="button" className="sd-btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="sd-btn sd-btn-primary" disabled={busy || (!name && !newName.trim())} onClick={() => void save()} data-action="do-save">
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
  created: string;
}

const asText = (d: StateMachine | string) => formatDoc(typeof d === "string" ? JSON.parse(d) : d);

function VersionsDialog({ onClose, name, load }: { onClose: () => void; name: string; load: (d: StateMachine) => void }) {
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
              <DiffView left={asText(picked.definition)} right={formatDoc(store.get().doc)} />
              <footer>
                <span className="sd-spacer" />
                <button
                  type="button"
                  className="sd-btn"
                  onClick={() => {
                    load(JSON.parse(asText(picked.definition)));
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
  const { api, store } = useServices();
  const exampleInput = useStore(store, (s) => s.exampleInput);
  return <ExecuteDialog onClose={onClose} name={name} api={api} exampleInput={exampleInput} />;
}

export function Dialogs(props: { open: DialogName | null; onClose: () => void; name: string | null; onSaved: (n: string) => void; load: (d: StateMachine) => void }) {
  const { open, onClose, name } = props;
  if (open === "import") return <ImportDialog onClose={onClose} load={props.load} />;
  if (open === "export") return <ExportDialog onClose={onClose} name={name} />;
  if (open === "save") return <SaveDialog onClose={onClose} name={name} onSaved={props.onSaved} />;
  if (open === "versions" && name) return <VersionsDialog onClose={onClose} name={name} load={props.load} />;
  if (open === "execute" && name) return <DesignerExecuteDialog onClose={onClose} name={name} />;
  return null;
}
