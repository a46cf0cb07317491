// The palette's lists: flow states and task handlers, each handler once, and what a search
// leaves of them (a group with nothing left hides, heading and all).

import type { TaskHandlerTemplate } from "../../app/context";
import { STATE_TYPES, type State } from "../../asl/types";
import type { PaletteItem } from "../dragState";

const DESCRIPTIONS: Record<string, string> = {
  Pass: "Pass input to output, optionally injecting data",
  Task: "Run a unit of work",
  Choice: "Branch on conditions",
  Wait: "Delay for a time or until a date",
  Succeed: "Stop successfully",
  Fail: "Stop with an error",
  Parallel: "Run branches in parallel",
  Map: "Run a processor for each item",
};

export const FLOW_ITEMS: PaletteItem[] = STATE_TYPES.map((t) => ({ key: t, label: t, stateType: t, description: DESCRIPTIONS[t] }));

/** One item per handler name (the first listing wins: a name is one handler on the server). */
export function handlerItems(handlers: TaskHandlerTemplate[]): PaletteItem[] {
  const seen = new Set<string>();
  const out: PaletteItem[] = [];
  for (const h of handlers) {
    if (seen.has(h.name)) continue;
    seen.add(h.name);
    out.push({
      key: `handler:${h.name}`,
      label: h.name,
      stateType: "Task",
      template: { Type: "Task", ...(h.state_template as Record<string, never>) } as State,
      description: h.description,
    });
  }
  return out;
}

export interface PaletteGroup {
  title: string;
  items: PaletteItem[];
}

/** Groups whose items match the search (label or description, any case); all of them when the search is empty. */
export function filterGroups(groups: PaletteGroup[], query: string): PaletteGroup[] {
  const q = query.trim().toLowerCase();
  if (!q) return groups;
  const hit = (i: PaletteItem) => i.label.toLowerCase().includes(q) || (i.description ?? "").toLowerCase().includes(q);
  return groups.map((g) => ({ ...g, items: g.items.filter(hit) })).filter((g) => g.items.length > 0);
}
