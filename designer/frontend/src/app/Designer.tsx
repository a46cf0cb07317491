// The designer page: toolbar, palette, canvas, and a side panel with the
// inspector and the code view (kept mounted so the editor never loses text).

import { ReactFlowProvider } from "@xyflow/react";
import { useEffect, useState, type ReactNode } from "react";
import { Canvas } from "../canvas/Canvas";
import { Palette, PaletteDragLayer, pickItem } from "../canvas/palette/Palette";
import { CodeView } from "../code/CodeView";
import { Inspector } from "../inspector/Inspector";
import { ServicesContext } from "./context";
import type { Designer as DesignerHandle, DesignerConfig } from "./createDesigner";
import { handleKey, handlePaste } from "./keyboard";
import { Toolbar, type DialogName } from "./Toolbar";
import { Dialogs } from "./Dialogs";

interface Toast {
  id: number;
  message: string;
  kind: "info" | "error";
}

export function Designer({ designer, config }: { designer: DesignerHandle & { onNotify(l: (m: string, k: "info" | "error") => void): void }; config: DesignerConfig }) {
  const services = designer.services;
  const [tab, setTab] = useState<"inspector" | "code">("inspector");
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [name, setName] = useState<string | null>(config.name);

  useEffect(() => {
    let next = 1;
    designer.onNotify((message, kind) => {
      const id = next++;
      setToasts((t) => [...t.slice(-3), { id, message, kind }]);
      setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === "error" ? 6000 : 3500);
    });
  }, [designer]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog) return;
      handleKey(services, e);
    };
    const onPaste = (e: ClipboardEvent) => {
      if (!dialog) handlePaste(services, e);
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("paste", onPaste);
    };
  }, [services, dialog]);

  const tabButton = (id: typeof tab, label: ReactNode) => (
    <button type="button" role="tab" aria-selected={tab === id} className={`sd-tab${tab === id ? " active" : ""}`} onClick={() => setTab(id)} data-tab={id}>
      {label}
    </button>
  );

  return (
    <ServicesContext.Provider value={services}>
      <ReactFlowProvider>
        <div className="sd-app">
          <Toolbar name={name} onOpen={setDialog} />
          <div className="sd-body">
            <Palette />
            <Canvas />
            <section className="sd-side">
              <div className="sd-tabs" role="tablist">
                {tabButton("inspector", "Inspector")}
                {tabButton("code", "Definition")}
              </div>
              <div className="sd-side-panel" hidden={tab !== "inspector"}>
                <Inspector />
              </div>
              <div className="sd-side-panel sd-side-code" hidden={tab !== "code"}>
                <CodeView visible={tab === "code"} />
              </div>
            </section>
          </div>
          <Dialogs open={dialog} onClose={() => setDialog(null)} name={name} onSaved={setName} load={designer.load} />
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
