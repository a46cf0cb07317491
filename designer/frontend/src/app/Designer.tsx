// The designer page: toolbar, palette, canvas with the Problems panel under it, and a
// side panel (widened by dragging its edge) with the inspector and the code view (kept
// mounted so the editor never loses text). Unsaved work is guarded here: the page
// title and the toolbar show it, and leaving the page asks first.

import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { Canvas } from "../canvas/Canvas";
import { Palette, PaletteDragLayer, pickItem } from "../canvas/palette/Palette";
import { viewport } from "../canvas/viewport";
import { getState } from "../asl/scopes";
import { CodeView } from "../code/CodeView";
import { codeFocus } from "../code/codeFocus";
import { Inspector } from "../inspector/Inspector";
import { inspectorFocus } from "../inspector/focus";
import { useStore } from "../store/useStore";
import type { Problem } from "../validation/problems";
import { ServicesContext } from "./context";
import type { Designer as DesignerHandle, DesignerConfig } from "./createDesigner";
import { isDirty } from "./dirty";
import { handleKey, handlePaste } from "./keyboard";
import { installLeaveGuard } from "./leaveGuard";
import { ProblemsPanel } from "./Problems";
import { clampSideWidth, loadSideWidth, saveSideWidth } from "./sidePanel";
import { Toolbar, type DialogName } from "./Toolbar";
import { Dialogs, LeaveDialog } from "./Dialogs";
import { TestPanel } from "../testing/TestPanel";

interface Toast {
  id: number;
  message: string;
  kind: "info" | "error";
}

const PROBLEMS_KEY = "stepstudio.designer.problems";
const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

function SideResizer({ width, onWidth }: { width: number; onWidth: (w: number, done: boolean) => void }) {
  const drag = useRef<{ x: number; width: number } | null>(null);
  return (
    <div
      className="sd-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the side panel"
      aria-valuenow={width}
      tabIndex={0}
      title="Drag to resize (double-click: default width)"
      data-testid="side-resizer"
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, width };
      }}
      onPointerMove={(e) => drag.current && onWidth(drag.current.width + drag.current.x - e.clientX, false)}
      onPointerUp={(e) => {
        if (!drag.current) return;
        onWidth(drag.current.width + drag.current.x - e.clientX, true);
        drag.current = null;
      }}
      onDoubleClick={() => onWidth(400, true)}
      onKeyDown={(e) => {
        if (e.key === "ArrowLeft") onWidth(width + 24, true);
        else if (e.key === "ArrowRight") onWidth(width - 24, true);
        else return;
        e.preventDefault();
      }}
    />
  );
}

export function Designer({ designer, config }: { designer: DesignerHandle & { onNotify(l: (m: string, k: "info" | "error") => void): void }; config: DesignerConfig }) {
  const services = designer.services;
  const { store } = services;
  const [tab, setTab] = useState<"inspector" | "code" | "test">(() =>
    // The live page's "Open in test" lands on the Test tab.
    new URLSearchParams(window.location.search).has("test_execution") ? "test" : "inspector");
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [name, setName] = useState<string | null>(config.name);
  const [problemsOpen, setProblemsOpen] = useState(() => storage()?.getItem(PROBLEMS_KEY) === "open");
  const [sideWidth, setSideWidth] = useState(() => loadSideWidth(storage(), window.innerWidth));
  const [leaveAnswer, setLeaveAnswer] = useState<((leave: boolean) => void) | null>(null);
  const dirty = useStore(store, isDirty);
  const baseTitle = useRef(document.title);

  useEffect(() => {
    let next = 1;
    designer.onNotify((message, kind) => {
      const id = next++;
      setToasts((t) => [...t.slice(-3), { id, message, kind }]);
      setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === "error" ? 6000 : 3500);
    });
  }, [designer]);

  // Leaving with unsaved work asks: the tab's close/reload (browser prompt), any link or
  // form of the page (our dialog), and navigations the designer itself starts.
  useEffect(() => {
    const guard = installLeaveGuard({
      isDirty: () => isDirty(store.get()),
      confirm: () => new Promise<boolean>((resolve) => setLeaveAnswer(() => resolve)),
      root: document.getElementById("designer-root"),
    });
    services.navigate = guard.navigate;
    return () => guard.dispose();
  }, [services, store]);

  useEffect(() => {
    document.title = dirty ? `● ${baseTitle.current}` : baseTitle.current;
  }, [dirty]);

  const busy = dialog !== null || leaveAnswer !== null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (busy) return;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "s") {
        // Save, not the browser's "save page as".
        e.preventDefault();
        (document.activeElement as HTMLElement | null)?.blur?.(); // commits a field being edited
        setDialog("save");
        return;
      }
      handleKey(services, e);
    };
    const onPaste = (e: ClipboardEvent) => {
      if (!busy) handlePaste(services, e);
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("paste", onPaste);
    };
  }, [services, busy]);

  const toggleProblems = useCallback((open?: boolean) => {
    setProblemsOpen((was) => {
      const now = open ?? !was;
      storage()?.setItem(PROBLEMS_KEY, now ? "open" : "closed");
      return now;
    });
  }, []);

  const reveal = useCallback(
    (p: Problem) => {
      if (p.kind === "json") {
        setTab("code");
        requestAnimationFrame(() => codeFocus.reveal(p.codeError?.offset ?? 0));
        return;
      }
      setTab("inspector");
      const nodeId = p.nodeId && getState(store.get().doc, p.nodeId) ? p.nodeId : null;
      store.set({ selection: { nodes: nodeId ? [nodeId] : [], edges: [] } });
      inspectorFocus.request(nodeId, nodeId ? p.field : p.nodeId ? [] : p.field);
      if (nodeId) viewport.show(nodeId);
    },
    [store],
  );

  const setWidth = useCallback((w: number, done: boolean) => {
    const width = clampSideWidth(w, window.innerWidth);
    setSideWidth(width);
    if (done) saveSideWidth(storage(), width);
  }, []);

  const tabButton = (id: typeof tab, label: ReactNode) => (
    <button type="button" role="tab" aria-selected={tab === id} className={`sd-tab${tab === id ? " active" : ""}`} onClick={() => setTab(id)} data-tab={id}>
      {label}
    </button>
  );

  return (
    <ServicesContext.Provider value={services}>
      <ReactFlowProvider>
        <div className="sd-app">
          <Toolbar name={name} onOpen={setDialog} problemsOpen={problemsOpen} onToggleProblems={() => toggleProblems()} />
          <div className="sd-body">
            <Palette />
            <div className="sd-center">
              <Canvas />
              {problemsOpen && <ProblemsPanel onClose={() => toggleProblems(false)} onReveal={reveal} />}
            </div>
            <SideResizer width={sideWidth} onWidth={setWidth} />
            <section className="sd-side" style={{ width: sideWidth }}>
              <div className="sd-tabs" role="tablist">
                {tabButton("inspector", "Inspector")}
                {tabButton("code", "Definition")}
                {tabButton("test", "Test")}
              </div>
              <div className="sd-side-panel" hidden={tab !== "inspector"}>
                <Inspector />
              </div>
              <div className="sd-side-panel sd-side-code" hidden={tab !== "code"}>
                <CodeView visible={tab === "code"} />
              </div>
              <div className="sd-side-panel" hidden={tab !== "test"}>
                <TestPanel name={name} visible={tab === "test"} />
              </div>
            </section>
          </div>
          <Dialogs
            open={dialog}
            onClose={() => setDialog(null)}
            name={name}
            onSaved={setName}
            load={designer.load}
            onShowProblems={(codeTab) => {
              setDialog(null);
              toggleProblems(true);
              if (codeTab) setTab("code");
            }}
          />
          {leaveAnswer && (
            <LeaveDialog
              name={name}
              onAnswer={(leave) => {
                setLeaveAnswer(null);
                leaveAnswer(leave);
              }}
            />
          )}
          <PaletteDragLayer onClick={(item) => pickItem(services.store, services.run, item)} />
          <div className="sd-toasts" aria-live="polite">
            {toasts.map((t) => (
              <div key={t.id} className={`sd-toast sd-toast-${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
                {t.message}
              </div>
            ))}
          </div>
        </div>
      </ReactFlowProvider>
    </ServicesContext.Provider>
  );
}
