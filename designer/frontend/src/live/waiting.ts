// The "Waiting for a worker" box is the server's view at page load (engine/waiting_tasks.py):
// which of its tasks the history since shows a worker has taken.

import type { HistoryEvent } from "./model";

const STARTED = /(Task|LambdaFunction|Activity)Started$/;

export interface WaitingItem {
  state: string;
  /** When the step reached the Task (ISO time), "" when unknown. */
  since: string;
}

/** For each item, whether it is still waiting after events[from…] (steps[i]: the state
 * events[i] belongs to). A start of the same state no earlier than `since` took it. */
export function stillWaiting(items: WaitingItem[], events: HistoryEvent[], steps: string[], from: number): boolean[] {
  const waiting = items.map(() => true);
  for (let i = from; i < events.length; i++) {
    if (!STARTED.test(events[i].type)) continue;
    const at = Date.parse(events[i].timestamp);
    items.forEach((item, k) => {
      if (item.state === steps[i] && !(at < Date.parse(item.since))) waiting[k] = false;
    });
  }
  return waiting;
}
