// An event row's details, shown when the row is expanded (events.ts): the event as pretty
// JSON, with the JSON text AWS keeps in `input` / `output` / `parameters` / `cause` shown
// as the JSON it holds, and a Copy button (the event exactly as the history has it).

import { h } from "./dom";
import type { HistoryEvent } from "./model";

const JSON_TEXT = new Set(["input", "output", "parameters", "cause", "result"]);

/** The event for reading: JSON text fields inside details unfolded when they parse. */
export function readable(event: HistoryEvent): Record<string, unknown> {
  // What a reader looks for first: which event, of what type, after which one, when.
  const out: Record<string, unknown> = { id: event.id, type: event.type, previousEventId: event.previousEventId, timestamp: event.timestamp };
  for (const [key, value] of Object.entries(event)) {
    if (key in out) continue;
    if (key === "seq") continue;
    if (key.endsWith("EventDetails") && value && typeof value === "object") {
      const details: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) details[k] = JSON_TEXT.has(k) ? unfold(v) : v;
      out[key] = details;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function unfold(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

export function eventJson(event: HistoryEvent): string {
  return JSON.stringify(readable(event), null, 2);
}

export function eventDetail(event: HistoryEvent, height: number): HTMLElement {
  const copy = h("button", { type: "button", class: "button small ev-copy" }, "Copy JSON") as HTMLButtonElement;
  copy.addEventListener("click", (e) => {
    e.stopPropagation();
    const raw = { ...event } as Record<string, unknown>;
    delete raw.seq;
    void navigator.clipboard?.writeText(JSON.stringify(raw, null, 2)).then(
      () => { copy.textContent = "Copied"; setTimeout(() => { copy.textContent = "Copy JSON"; }, 1500); },
      () => { copy.textContent = "Copy failed"; },
    );
  });
  return h("div", { class: "ev-detail", style: `height:${height}px`, "data-event-detail": event.seq, role: "region", "aria-label": `Event ${event.seq} details` },
    h("div", { class: "ev-detail-bar" }, h("strong", {}, `${event.type}`), h("span", { class: "muted small" }, ` event ${event.id}, after event ${event.previousEventId}`), copy),
    h("pre", { class: "json ev-json" }, eventJson(event)));
}
