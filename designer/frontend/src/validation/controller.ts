// Validates the document after edits (debounced): local checks at once,
// then the server validator, whose answer replaces them. Results for an
// outdated document are dropped.

import type { Api } from "../api/client";
import type { StateMachine } from "../asl/types";
import { documentText, type Diagnostic, type Store } from "../store/store";
import { carryOver } from "./carry";
import { localDiagnostics } from "./local";
import { fromServer } from "./severity";

export interface ValidationResult {
  valid: boolean;
  diagnostics: Diagnostic[];
  /** Whether the server answered (false: only local checks ran). */
  server: boolean;
}

export class ValidationController {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The server's last answer and the document it was about. */
  private server: { doc: StateMachine; diagnostics: Diagnostic[] } | null = null;

  constructor(
    private store: Store,
    private api: Api,
    private delay = 400,
  ) {
    store.subscribe((s, prev) => {
      if (s.doc !== prev.doc) this.schedule();
    });
  }

  schedule(): void {
    const { doc } = this.store.get();
    const local = localDiagnostics(doc);
    this.store.set({ diagnostics: this.server ? carryOver(this.server.diagnostics, this.server.doc, doc, local) : local });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.validate(), this.delay);
  }

  async validate(doc: StateMachine = this.store.get().doc): Promise<ValidationResult> {
    const version = this.store.get().docVersion;
    // The text, when the document has one: a bare `${Name}` is judged as written (a value of
    // any type), a quoted one as a string.
    const state = this.store.get();
    const definition = state.source && doc === state.doc ? documentText(state) : doc;
    let result: ValidationResult;
    try {
      const r = await this.api.post<{ valid: boolean; diagnostics: Diagnostic[] }>("/api/validate/", { definition });
      const diagnostics = (r.diagnostics ?? []).map(fromServer);
      result = { valid: r.valid, diagnostics, server: true };
      this.server = { doc, diagnostics };
    } catch {
      const diagnostics = localDiagnostics(doc);
      result = { valid: !diagnostics.some((d) => d.severity === "error"), diagnostics, server: false };
    }
    if (this.store.get().docVersion === version && doc === this.store.get().doc) this.store.set({ diagnostics: result.diagnostics });
    return result;
  }
}
