import type { Diagnostic } from "../store/store";

export function DiagnosticList({ diagnostics }: { diagnostics: Diagnostic[] }) {
  if (!diagnostics.length) return null;
  return (
    <ul className="sd-diag-list" data-testid="inspector-diagnostics">
      {diagnostics.map((d, i) => (
        <li key={i} className={d.severity} data-diagnostic={d.code}>
          <strong>{d.code}</strong> {d.message}
        </li>
      ))}
    </ul>
  );
}
