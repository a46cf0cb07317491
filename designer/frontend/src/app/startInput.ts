// What the Start execution dialog is prefilled with: the machine's example input (a field
// saved with the machine, not part of its ASL), else the input of its last execution,
// else an empty object.

import { encodeName, type Api } from "../api/client";

interface MachineAnswer {
  example_input?: unknown;
}
interface ExecutionsAnswer {
  results?: { input?: unknown }[];
}

export const EMPTY_INPUT = "{\n  \n}";

export function inputText(value: unknown): string {
  return value === undefined || value === null ? EMPTY_INPUT : JSON.stringify(value, null, 2);
}

/** The prefill as text; `exampleInput` (already known, e.g. the designer's unsaved edit) wins. */
export async function loadStartInput(api: Api, name: string, exampleInput?: unknown): Promise<string> {
  if (exampleInput !== undefined && exampleInput !== null) return inputText(exampleInput);
  const machine = await api.get<MachineAnswer>(`/api/state-machines/${encodeName(name)}/`);
  if (machine.example_input !== undefined && machine.example_input !== null) return inputText(machine.example_input);
  const last = await api.get<ExecutionsAnswer>(`/api/executions/?state_machine=${encodeURIComponent(name)}&page_size=1`);
  return inputText(last.results?.[0]?.input);
}
