// The ASL JSON beside the graph, in sync both ways. Valid edits become one
// replaceDocument command carrying the text as the document's source; while
// the text is not valid the graph waits, the user's text is kept (even when
// the graph changes meanwhile: then a bar offers to take the graph's version)
// and store.codeError says where the text breaks, for the status and the
// Problems panel. The text shown is the source with graph edits written in
// (code/source.ts): `${Name}` placeholders, bare ones included, and the
// author's formatting stay where nothing was edited. While the tab is hidden
// the editor is not kept in step (re-laying out a big definition on every
// edit costs more than the edit); showing the tab brings it up to date.

import { json } from "@codemirror/lang-json";
import { forceLinting, linter, lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { Annotation } from "@codemirror/state";
import { EditorView, basicSetup } from "codemirror";
import { useEffect, useRef, useState } from "react";
import { isObject, type StateMachine } from "../asl/types";
import { useServices } from "../app/context";
import { documentText, type CodeError } from "../store/store";
import { useStore } from "../store/useStore";
import { jsonError, lineColumn } from "../validation/jsonError";
import { codeFocus } from "./codeFocus";
import { pointerRange } from "./pointerRange";
import { formatDoc, parseSource, SourceSyntaxError, type Source } from "./source";

export { formatDoc };

function parseDoc(text: string): { doc: StateMachine; source: Source } | null {
  try {
    const read = parseSource(text);
    return isObject(read.doc) ? { doc: read.doc as StateMachine, source: read.source } : null;
  } catch {
    return null;
  }
}

/** Replace the editor's text with `next`, touching only the part that differs (the cursor
 * and scroll position survive graph edits elsewhere). */
function replaceText(v: EditorView, next: string) {
  const current = v.state.doc.toString();
  if (current === next) return;
  let start = 0;
  while (start < current.length && start < next.length && current[start] === next[start]) start++;
  let endCur = current.length;
  let endNext = next.length;
  while (endCur > start && endNext > start && current[endCur - 1] === next[endNext - 1]) {
    endCur--;
    endNext--;
  }
  v.dispatch({ changes: { from: start, to: endCur, insert: next.slice(start, endNext) }, annotations: fromStore.of(true) });
}

/** What is wrong with the text as a definition (JSON plus bare `${Name}` values), or null. */
function textError(text: string): CodeError | null {
  try {
    if (isObject(parseSource(text).doc)) return null;
    return { message: "A definition is a JSON object ({ … })", line: 1, column: 1, offset: 0 };
  } catch (e) {
    const at = e instanceof SourceSyntaxError ? Math.min(e.position, text.length) : 0;
    // The JSON scanner words errors better and points where a person looks (after the value
    // a comma is missing from); it stops at a bare placeholder, which the source reader takes.
    const json = jsonError(text);
    if (json && !text.startsWith("${", json.offset)) return json;
    return { message: (e as Error).message, offset: at, ...lineColumn(text, at) };
  }
}

/** The same, for the lint gutter. */
function syntaxDiagnostics(text: string): CmDiagnostic[] {
  const e = textError(text);
  return e ? [{ from: Math.min(e.offset, text.length), to: Math.min(e.offset + 1, text.length), severity: "error", message: e.message }] : [];
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
    let timer: ReturnType<typeof setTimeout> | null = null;
    const apply = () => {
      const v = view.current;
      if (!v) return;
      const text = v.state.doc.toString();
      const error = textError(text);
      if (!sameError(store.get().codeError, error)) store.set({ codeError: error });
      if (error) return;
      const read = parseDoc(text)!;
      setStale(false);
      // The typed text becomes the document's source (even a change of spacing only).
      if (text !== documentText(store.get())) run("replaceDocument", { doc: read.doc, source: read.source });
    };
    const serverLint = linter(
      (v) => {
        // Hidden tab: skip the work (a big definition re-parses on every edit); showing
        // the tab forces a lint run.
        if (v.dom.offsetParent === null) return [];
        const parse = syntaxDiagnostics(v.state.doc.toString());
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
      doc: documentText(store.get()),
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
      replaceText(v, documentText(s));
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
    replaceText(view.current!, documentText(store.get()));
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
