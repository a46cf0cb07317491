import { createContext, useContext } from "react";
import type { CommandStack } from "../commands/CommandStack";
import type { Store } from "../store/store";
import type { Api } from "../api/client";
import type { StateMachine } from "../asl/types";

export interface TaskHandlerTemplate {
  name: string;
  description: string;
  state_template: Record<string, unknown>;
}

export interface DesignerServices {
  store: Store;
  stack: CommandStack;
  api: Api;
  /** Run a command, reporting a refused edit (a rule said no) instead of throwing into React. */
  run: <C>(command: string, context: C) => C | null;
  relayout: () => Promise<void>;
  notify: (message: string, kind?: "info" | "error") => void;
  /** Leave the page for `href`, asking first when there is unsaved work (set by the page's leave guard). */
  navigate: (href: string) => void;
  /** Start laying out a document that is about to be loaded (the Import dialog, on paste). */
  prefetchLayout: (doc: StateMachine) => void;
}

export const ServicesContext = createContext<DesignerServices | null>(null);

export function useServices(): DesignerServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error("designer services missing");
  return s;
}
