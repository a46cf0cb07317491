// The palette: flow states, AWS service integrations (services.ts), and the task handlers the server registered
// (GET /api/task-handlers/). Items are dragged with pointer events onto the
// canvas, an edge or a branch; clicking an item adds it after the selection.

import { useEffect, useState } from "react";
import { toGraph } from "../../asl/toGraph";
import { useServices } from "../../app/context";
import { dragState, useDragState, type PaletteItem } from "../dragState";
import { TYPE_COLORS, TypeIcon } from "../nodes/icons";
import { dropTargetAt } from "./dropTarget";
import { FLOW_ITEMS, filterGroups, handlerItems } from "./items";
import { SERVICE_ITEMS } from "./services";
import { loadHandlers } from "../../api/handlers";

export { FLOW_ITEMS, handlerItems };

function Item({ item, onPick }: { item: PaletteItem; onPick: (item: PaletteItem) => void }) {
  const type = item.template?.Type ?? item.stateType;
  return (
    <button
      type="button"
      className="sd-palette-item"
      data-palette-item={item.key}
      title={item.description}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        dragState.set({ item, x: e.clientX, y: e.clientY, overEdge: null, overScope: null });
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onPick(item);
        }
      }}
    >
      <span className="sd-node-icon" style={{ ["--type-color" as string]: TYPE_COLORS[type] }}>
        <TypeIcon type={type} size={16} />
      </span>
      <span className="sd-palette-label">{item.label}</span>
    </button>
  );
}

/** Follows the pointer during a palette drag and drops the item where it is released. */
export function PaletteDragLayer({ onClick }: { onClick: (item: PaletteItem) => void }) {
  const { store, run } = useServices();
  const drag = useDragState((s) => s);
  useEffect(() => {
    if (!drag.item) return;
    const item = drag.item;
    const origin = { x: drag.x, y: drag.y };
    const move = (e: PointerEvent) => {
      const target = dropTargetAt(e.clientX, e.clientY);
      dragState.set({
        x: e.clientX,
        y: e.clientY,
        overEdge: target && "edge" in target ? target.edge : null,
        overScope: target && "scope" in target ? target.scope : null,
      });
    };
    const up = (e: PointerEvent) => {
      const target = dropTargetAt(e.clientX, e.clientY);
      dragState.set({ item: null, overEdge: null, overScope: null });
      // A press and release on the spot is a click: add the state after the selection.
      if (Math.hypot(e.clientX - origin.x, e.clientY - origin.y) < 4) return onClick(item);
      if (!target) return;
      const base = { stateType: item.stateType, template: item.template, baseName: item.template ? item.label : undefined };
      if ("edge" in target) {
        const edge = toGraph(store.get().doc).edges.find((x) => x.id === target.edge);
        if (edge) run("insertOnEdge", { ...base, edge, scope: "" });
      } else {
        run("addState", { ...base, scope: target.scope });
      }
    };
    const cancel = (e: KeyboardEvent) => {
      if (e.key === "Escape") dragState.set({ item: null, overEdge: null, overScope: null });
    };
    // Edges only become drop targets during a palette drag (see .sd-palette-dragging).
    document.body.classList.add("sd-palette-dragging");
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up, { once: true });
    window.addEventListener("keydown", cancel);
    return () => {
      document.body.classList.remove("sd-palette-dragging");
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("keydown", cancel);
    };
  }, [drag.item, store, run]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!drag.item) return null;
  const type = drag.item.template?.Type ?? drag.item.stateType;
  return (
    <div className="sd-drag-ghost" style={{ left: drag.x + 8, top: drag.y + 8, ["--type-color" as string]: TYPE_COLORS[type] }}>
      <TypeIcon type={type} size={14} /> {drag.item.label}
    </div>
  );
}

/**
 * Keyboard/click alternative to dragging: add the state after the selected one (on its
 * outgoing Next or End edge, or a selected Choice's first open rule), or on its own when
 * nothing is selected.
 */
export function pickItem(store: ReturnType<typeof useServices>["store"], run: ReturnType<typeof useServices>["run"], item: PaletteItem): void {
  const base = { stateType: item.stateType, template: item.template, baseName: item.template ? item.label : undefined };
  const selected = store.get().selection.nodes[0];
  const graph = toGraph(store.get().doc);
  const out = selected ? graph.edges.find((e) => e.source === selected && (e.kind === "next" || e.kind === "end" || e.open)) : undefined;
  if (out) run("insertOnEdge", { ...base, edge: out, scope: "" });
  else if (graph.edges.length === 1 && graph.edges[0].id === "#start>end") run("insertOnEdge", { ...base, edge: graph.edges[0], scope: "" });
  else run("addState", { ...base, scope: "" });
}

export function Palette() {
  const { api, run, store } = useServices();
  const [handlers, setHandlers] = useState<PaletteItem[]>([]);
  const [handlerError, setHandlerError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");

  useEffect(() => {
    loadHandlers(api)
      .then((list) => setHandlers(handlerItems(list)))
      .catch((e: Error) => setHandlerError(e.message));
  }, [api]);

  const pick = (item: PaletteItem) => pickItem(store, run, item);
  const searching = filter.trim() !== "";
  const groups = filterGroups(
    [
      { title: "Flow", items: FLOW_ITEMS },
      // The user's own handlers before AWS's catalogue: they are what most Tasks call here.
      { title: "Task handlers", items: handlers },
      { title: "Services", items: SERVICE_ITEMS },
    ],
    filter,
  );
  return (
    <aside className="sd-palette" aria-label="States">
      <input className="sd-input sd-palette-filter" type="search" placeholder="Search states and services…" aria-label="Search states, services and handlers" value={filter} onChange={(e) => setFilter(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setFilter("")} />
      {groups.map((g) => (
        <section key={g.title} data-palette-group={g.title}>
          <h3>{g.title}</h3>
          {g.items.map((i) => (
            <Item key={i.key} item={i} onPick={pick} />
          ))}
          {!searching && g.title === "Task handlers" && handlerError && <p className="sd-muted">Handlers unavailable ({handlerError})</p>}
          {!searching && g.title === "Task handlers" && !handlerError && handlers.length === 0 && <p className="sd-muted">No handlers registered</p>}
        </section>
      ))}
      {searching && groups.length === 0 && <p className="sd-muted" data-testid="palette-no-match">Nothing matches “{filter.trim()}”.</p>}
      <p className="sd-hint">Drag a state onto an arrow to insert it, into a branch, or onto a Choice rule's open end.</p>
    </aside>
  );
}
