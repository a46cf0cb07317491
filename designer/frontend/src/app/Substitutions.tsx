// The Start dialog's definition substitutions: one field per `${Name}`
// placeholder the saved machine still holds. Their values go with the start
// request as `definitionSubstitutions`, for that execution only (the saved
// definition keeps its placeholders); the machine cannot start without them.

import { useEffect, useState } from "react";
import { encodeName, type Api } from "../api/client";

export interface SubstitutionsState {
  /** Placeholders of the saved definition, in name order. */
  names: string[];
  /** The values given so far (empty fields are left out). */
  values: Record<string, string>;
  /** Placeholders without a value: the execution cannot start yet. */
  missing: string[];
  set(name: string, value: string): void;
}

export function useSubstitutions(api: Api, machine: string): SubstitutionsState {
  const [names, setNames] = useState<string[]>([]);
  const [entered, setEntered] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    api
      .get<{ unresolved_substitutions?: string[] }>(`/api/state-machines/${encodeName(machine)}/`)
      .then((m) => live && setNames(m.unresolved_substitutions ?? []))
      .catch(() => live && setNames([]));
    return () => {
      live = false;
    };
  }, [api, machine]);
  const values = Object.fromEntries(names.filter((n) => entered[n] !== undefined && entered[n] !== "").map((n) => [n, entered[n]]));
  return {
    names,
    values,
    missing: names.filter((n) => !(n in values)),
    set: (name, value) => setEntered((e) => ({ ...e, [name]: value })),
  };
}

export function SubstitutionFields({ state }: { state: SubstitutionsState }) {
  if (!state.names.length) return null;
  return (
    <fieldset className="sd-fieldset" data-testid="substitutions">
      <legend>Definition substitutions</legend>
      <p className="sd-muted">
        The saved definition has placeholders. Their values apply to this execution only; a bare placeholder (<code>{'"Seconds": ${Wait}'}</code>) takes JSON such as <code>30</code> or <code>true</code>.
      </p>
      {state.names.map((name) => (
        <label className="sd-field" key={name}>
          <span className="sd-mono">{`\${${name}}`}</span>
          <input className="sd-input" value={state.values[name] ?? ""} onChange={(e) => state.set(name, e.target.value)} data-substitution={name} aria-label={`Value of \${${name}}`} />
        </label>
      ))}
      {state.missing.length > 0 && <p className="sd-muted">Give a value for {state.missing.map((n) => `\${${n}}`).join(", ")} to start.</p>}
    </fieldset>
  );
}
