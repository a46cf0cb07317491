// The Problems panel under the canvas: every diagnostic at once, errors (which block Save)
// first. A row names the state and says what to do; clicking it selects the state and
// focuses the field (or, for a JSON error, puts the cursor on it in the Definition tab).

import { useMemo } from "react";
import { useStore } from "../store/useStore";
import { countProblems, isEmptyMachine, toProblems, type Problem } from "../validation/problems";
import { useServices } from "./context";

const ICONS: Record<Problem["severity"], string> = { error: "M12 7v6 M12 16.5v.5", warning: "M12 8v5 M12 16.5v.5", info: "M12 11v6 M12 7.5v.5" };

function SeverityIcon({ severity }: { severity: Problem["severity"] }) {
  return (
    <svg className={`sd-sev sd-sev-${severity}`} width="16" height="16" viewBox="0 0 24 24" aria-label={severity} role="img">
      {severity === "warning" ? <path d="M12 3l10 18H2z" /> : <circle cx="12" cy="12" r="10" />}
      <path d={ICONS[severity]} fill="none" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
    </svg>
  );
}

export function ProblemsPanel({ onClose, onReveal }: { onClose: () => void; onReveal: (p: Problem) => void }) {
  const { store } = useServices();
  const doc = useStore(store, (s) => s.doc);
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const codeError = useStore(store, (s) => s.codeError);
  const problems = useMemo(() => toProblems({ doc, diagnostics, codeError }), [doc, diagnostics, codeError]);
  const { errors, warnings } = countProblems(problems);
  return (
    <section className="sd-problems" aria-label="Problems" data-testid="problems">
      <header>
        <h2>Problems</h2>
        <span className={`sd-count${errors ? " bad" : ""}`}>
          {errors} error{errors === 1 ? "" : "s"}
        </span>
        <span className={`sd-count${warnings ? " warn" : ""}`}>
          {warnings} warning{warnings === 1 ? "" : "s"}
        </span>
        {errors > 0 && <span className="sd-muted">Errors block Save; warnings do not.</span>}
        <span className="sd-spacer" />
        <button type="button" className="sd-icon-btn" aria-label="Close problems" onClick={onClose}>
          ×
        </button>
      </header>
      {problems.length === 0 ? (
        <p className="sd-problems-empty">{isEmptyMachine(doc) ? "Nothing to check yet: drag a state onto the canvas." : "No problems: AWS would accept this definition."}</p>
      ) : (
        <ul>
          {problems.map((p) => (
            <li key={p.key}>
              <button type="button" className={`sd-problem ${p.severity}`} onClick={() => onReveal(p)} data-problem={p.code} data-problem-where={p.where} title={p.location ? `${p.code} at ${p.location}` : p.code}>
                <SeverityIcon severity={p.severity} />
                <span className="sd-problem-where">{p.where}</span>
                <span className="sd-problem-text">{p.text}</span>
                <span className="sd-problem-code">{p.code}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
