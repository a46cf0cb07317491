// Zoom, pan, fit and centre for the live graph, as on the designer canvas: the wheel zooms
// at the pointer, dragging the background pans, + / − / Fit / Centre buttons (and the
// + - 0 keys on the focused graph). Fit is the designer's (canvas/viewport.ts): the whole
// graph when it is readable that way, else a readable zoom on a region, so a 300-state
// graph opens on its Start, not as a grey stamp at 5 %.

import { fitViewport, READABLE_ZOOM, type Box } from "../canvas/viewport";
import { h } from "./dom";

export interface View {
  x: number;
  y: number;
  zoom: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2.5;
const STEP = 1.25;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The view after zooming by `factor` around the pane point (px, py): that point stays put. */
export function zoomAt(view: View, factor: number, px: number, py: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const k = zoom / view.zoom;
  return { zoom, x: px - (px - view.x) * k, y: py - (py - view.y) * k };
}

/** The view that puts the centre of `box` in the middle of the pane, at `zoom`. */
export function centreOn(box: Box, pane: { width: number; height: number }, zoom: number): View {
  return { zoom, x: pane.width / 2 - (box.x + box.width / 2) * zoom, y: pane.height / 2 - (box.y + box.height / 2) * zoom };
}

export class PanZoom {
  view: View = { x: 0, y: 0, zoom: 1 };
  private label: HTMLElement;
  private drag: { x: number; y: number; view: View; moved: boolean } | null = null;
  private suppressClick = false;

  /**
   * `pane`: the element the graph is seen through; `layer`: the SVG group moved and scaled;
   * `bounds()`: the graph's box; `focus()`: what Centre (and Fit on a big graph) aims at.
   */
  constructor(private pane: HTMLElement, private layer: SVGGElement, private bounds: () => Box, private focus: () => Box | null) {
    this.label = h("span", { class: "pz-zoom", "data-live": "zoom", "aria-live": "polite" }, "100%");
    const button = (label: string, title: string, action: string, run: () => void) =>
      h("button", { type: "button", class: "pz-btn", title, "aria-label": title, "data-zoom": action, onclick: run }, label);
    const controls = h("div", { class: "pz-controls", role: "toolbar", "aria-label": "Graph view" },
      button("+", "Zoom in", "in", () => this.zoomBy(STEP)),
      button("−", "Zoom out", "out", () => this.zoomBy(1 / STEP)),
      this.label,
      button("Fit", "Fit the graph", "fit", () => this.fit()),
      button("Centre", "Centre on the running or selected state", "centre", () => this.centre()));
    pane.append(controls);
    pane.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    pane.addEventListener("pointerdown", (e) => this.down(e));
    pane.addEventListener("pointermove", (e) => this.move(e));
    pane.addEventListener("pointerup", (e) => this.up(e));
    pane.addEventListener("pointercancel", (e) => this.up(e));
    // A drag that ends on a state must not also select it.
    pane.addEventListener("click", (e) => {
      if (this.suppressClick) {
        e.stopPropagation();
        e.preventDefault();
        this.suppressClick = false;
      }
    }, true);
    pane.addEventListener("keydown", (e) => {
      if ((e.target as HTMLElement).closest?.("button, input, select, textarea")) return;
      if (e.key === "+" || e.key === "=") this.zoomBy(STEP);
      else if (e.key === "-" || e.key === "_") this.zoomBy(1 / STEP);
      else if (e.key === "0") this.fit();
      else return;
      e.preventDefault();
    });
  }

  private size(): { width: number; height: number } {
    return { width: this.pane.clientWidth || 800, height: this.pane.clientHeight || 560 };
  }

  set(view: View): void {
    this.view = { ...view, zoom: clampZoom(view.zoom) };
    this.layer.setAttribute("transform", `translate(${this.view.x.toFixed(2)} ${this.view.y.toFixed(2)}) scale(${this.view.zoom.toFixed(4)})`);
    this.label.textContent = `${Math.round(this.view.zoom * 100)}%`;
    this.pane.dataset.zoom = this.view.zoom.toFixed(3);
  }

  fit(): void {
    const b = this.bounds();
    if (!b.width || !b.height) return;
    this.set(fitViewport(b, this.size(), null));
  }

  centre(): void {
    const target = this.focus();
    if (!target) {
      this.fit();
      return;
    }
    this.set(centreOn(target, this.size(), Math.max(this.view.zoom, READABLE_ZOOM)));
  }

  zoomBy(factor: number): void {
    const { width, height } = this.size();
    this.set(zoomAt(this.view, factor, width / 2, height / 2));
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const rect = this.pane.getBoundingClientRect();
    // Pixel deltas of a trackpad pinch are small, a mouse wheel's notches large: both smooth.
    const factor = Math.exp(-Math.max(-100, Math.min(100, e.deltaY)) * 0.0025);
    this.set(zoomAt(this.view, factor, e.clientX - rect.left, e.clientY - rect.top));
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0 || (e.target as Element).closest?.(".pz-controls")) return;
    this.drag = { x: e.clientX, y: e.clientY, view: this.view, moved: false };
  }

  private move(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) {
      d.moved = true;
      this.pane.setPointerCapture?.(e.pointerId);
      this.pane.classList.add("panning");
    }
    this.set({ zoom: d.view.zoom, x: d.view.x + dx, y: d.view.y + dy });
  }

  private up(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    if (!d?.moved) return;
    this.suppressClick = true;
    this.pane.classList.remove("panning");
    this.pane.releasePointerCapture?.(e.pointerId);
    // The click that follows a drag (if any) is dropped above; none may follow.
    setTimeout(() => { this.suppressClick = false; }, 0);
  }
}
