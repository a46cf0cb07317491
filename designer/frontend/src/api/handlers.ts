// GET /api/task-handlers/, fetched once per page: the palette lists them and the Task
// form offers their resources.

import type { TaskHandlerTemplate } from "../app/context";
import type { Api } from "./client";

let cached: Promise<TaskHandlerTemplate[]> | null = null;

export function loadHandlers(api: Api): Promise<TaskHandlerTemplate[]> {
  cached ??= api.get<{ results: TaskHandlerTemplate[] }>("/api/task-handlers/").then((r) => r.results ?? []);
  // A failed fetch is not cached: the next caller tries again.
  cached.catch(() => (cached = null));
  return cached;
}
