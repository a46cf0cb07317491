// The selected state's (or machine's) problems above its form; clicking one focuses its field.

import type { Diagnostic } from "../store/store";

export function DiagnosticList({ diagnostics, onPick }: { diagnostics: Diagnostic[]; onPick?: (d: Diagnostic) => void }) {
  if (!diagnostics.length) return null;
  return (
    <ul className="sd-diag-list" data-testid="inspector-diagnostics">
      {diagnostics.map((d, i) => (
        <li key={i} className={d.severity} data-diagnostic={d.code} title={`${d.code}${d.location ? ` at ${d.location}` : ""}`}>
          {onPick ? (
            <button type="button" className="sd-diag-pick" onClick={() => onPick(d)}>
              {d.explanation || d.message}
            </button>
          ) : (
            d.explanation || d.message
          )}
        </li>
      ))}
    </ul>
  );
}
