// The ASL JSON beside the graph, in sync both ways. Valid edits become one
// replaceDocument command; while the text is not valid JSON the graph
// waits, the user's text is kept (even when the graph changes meanwhile:
// then a bar offers to take the graph's version) and store.codeError says
// where the text breaks, for the status and the Problems panel. While the
// tab is hidden the editor is not kept in step (formatting and re-laying
// out a big definition on every edit costs more than the edit); showing the
// tab brings it up to date.

import { json, jsonParseLinter } from "@codemirror/lang-json";
import { forceLinting, linter, lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { Annotation } from "@codemirror/state";
import { EditorView, basicSetup } from "codemirror";
import { useEffect, useRef, useState } from "react";
import { isObject, jsonEqual, type StateMachine } from "../asl/types";
import { useServices } from "../app/context";
import type { CodeError } from "../store/store";
import { useStore } from "../store/useStore";
import { jsonError } from "../validation/jsonError";
import { codeFocus } from "./codeFocus";
import { pointerRange } from "./pointerRange";

export function formatDoc(doc: StateMachine): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function parseDoc(text: string): StateMachine | null {
  try {
    const value = JSON.parse(text);
    return isObject(value) ? (value as StateMachine) : null;
  } catch {
    return null;
  }
}

/** What is wrong with the text as a definition, or null. */
function textError(text: string): CodeError | null {
  const error = jsonError(text);
  if (error || parseDoc(text)) return error;
  return { message: "A definition is a JSON object ({ … })", line: 1, column: 1, offset: 0 };
}

const sameError = (a: CodeError | null, b: CodeError | null) => a === b || (!!a && !!b && a.offset === b.offset && a.message === b.message);

export function CodeView({ visible = true }: { visible?: boolean }) {
  const { store, run } = useServices();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [stale, setStale] = useState(false);
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const shown = useRef(visible);
  /** The store's document changed while the tab was hidden. */
  const behind = useRef(false);
  const syncFromStore = useRef<() => void>(() => undefined);

  useEffect(() => {
    const parseLint = jsonParseLinter();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const apply = () => {
      const v = view.current;
      if (!v) return;
      const text = v.state.doc.toString();
      const error = textError(text);
      if (!sameError(store.get().codeError, error)) store.set({ codeError: error });
      if (error) return;
      const doc = parseDoc(text)!;
      setStale(false);
      if (!jsonEqual(doc, store.get().doc)) run("replaceDocument", { doc });
    };
    const serverLint = linter(
      (v) => {
        // Hidden tab: skip the work (a big definition re-parses on every edit); showing
        // the tab forces a lint run.
        if (v.dom.offsetParent === null) return [];
        const parse = parseLint(v);
        if (parse.length) return parse;
        const out: CmDiagnostic[] = [];
        for (const d of store.get().diagnostics) {
          const r = pointerRange(v.state, d.location);
          if (r) out.push({ from: r.from, to: r.to, severity: d.severity === "info" ? "info" : d.severity, message: `${d.code}: ${d.message}` });
        }
        return out;
      },
      { delay: 150 },
    );
    const v = new EditorView({
      parent: host.current!,
      doc: formatDoc(store.get().doc),
      extensions: [
        basicSetup,
        json(),
        EditorView.lineWrapping,
        lintGutter(),
        serverLint,
        EditorView.updateListener.of((u) => {
          if (!u.docChanged || u.transactions.every((t) => t.annotation(fromStore) === true)) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(apply, 300);
        }),
        EditorView.contentAttributes.of({ "aria-label": "ASL definition", "data-testid": "code-editor" }),
      ],
    });
    view.current = v;
    (host.current as HTMLElement & { cmView?: EditorView }).cmView = v;

    const sync = () => {
      const s = store.get();
      behind.current = false;
      // Never overwrite text the user is still fixing.
      if (s.codeError) return setStale(true);
      const current = parseDoc(v.state.doc.toString());
      if (current && jsonEqual(current, s.doc)) return;
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: formatDoc(s.doc) }, annotations: fromStore.of(true) });
    };
    syncFromStore.current = sync;
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.doc === prev.doc) return;
      if (shown.current) sync();
      else behind.current = true;
    });
    const unfocus = codeFocus.subscribe((offset) => {
      const at = Math.min(offset, v.state.doc.length);
      v.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      v.focus();
    });
    return () => {
      unsubscribe();
      unfocus();
      if (timer) clearTimeout(timer);
      v.destroy();
    };
  }, [store, run]);

  useEffect(() => {
    shown.current = visible;
    if (visible && behind.current) syncFromStore.current();
  }, [visible]);

  useEffect(() => {
    if (view.current) forceLinting(view.current);
  }, [diagnostics, visible]);

  const takeGraph = () => {
    const v = view.current!;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: formatDoc(store.get().doc) }, annotations: fromStore.of(true) });
    setStale(false);
    store.set({ codeError: null });
  };

  return (
    <div className="sd-code">
      {stale && (
        <div className="sd-code-stale" role="status">
          The graph changed while this text was not valid JSON.{" "}
          <button type="button" className="sd-link" onClick={takeGraph}>
            Replace with the graph's definition
          </button>
        </div>
      )}
      <div className="sd-code-host" ref={host} />
    </div>
  );
}

/** Marks editor changes that come from the store, so they are not sent back as edits. */
const fromStore = Annotation.define<boolean>();
