// Severity as AWS has it (ValidateStateMachineDefinition): an ERROR means the definition
// cannot be created or updated — Save refuses it; a WARNING does not block. The server
// sends "ERROR"/"WARNING"; the designer keeps them lower case.

import type { Diagnostic } from "../store/store";

/** AWS's warning codes; every other code is an error. */
export const WARNING_CODES = new Set(["NO_DOLLAR", "NO_PATH", "PASS_RESULT_IS_STATIC"]);

export function severityOf(code: string, given?: string): Diagnostic["severity"] {
  const s = (given ?? "").toLowerCase();
  if (s === "error" || s === "warning" || s === "info") return s;
  return WARNING_CODES.has(code) ? "warning" : "error";
}

/** A diagnostic from the API in the designer's shape. */
export function fromServer(d: Partial<Diagnostic> & { code: string; message: string }): Diagnostic {
  return {
    code: d.code,
    severity: severityOf(d.code, d.severity),
    message: d.message,
    location: d.location ?? "",
    explanation: d.explanation || undefined,
    field: d.field || undefined,
    source: "server",
  };
}

export function blocksSave(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
