// Input and output processing: JSONPath fields (InputPath, Parameters,
// ResultSelector, ResultPath, OutputPath) or JSONata fields (Arguments,
// Output), plus Assign, which both query languages have.

import type { JsonObject } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { JsonField, Section, TextField, str } from "./fields";

const HAS = {
  InputPath: new Set(["Pass", "Task", "Choice", "Wait", "Succeed", "Parallel", "Map"]),
  Parameters: new Set(["Pass", "Task", "Parallel", "Map"]),
  ResultSelector: new Set(["Task", "Parallel", "Map"]),
  ResultPath: new Set(["Pass", "Task", "Parallel", "Map"]),
  OutputPath: new Set(["Pass", "Task", "Choice", "Wait", "Succeed", "Parallel", "Map"]),
  Arguments: new Set(["Task", "Parallel"]),
  Output: new Set(["Pass", "Task", "Choice", "Wait", "Succeed", "Parallel", "Map"]),
  Assign: new Set(["Pass", "Task", "Choice", "Wait", "Parallel", "Map"]),
};

/** Whether a state type has any input/output field (Fail has none). */
export function hasIoFields(type: string): boolean {
  return HAS.OutputPath.has(type) || HAS.Assign.has(type);
}

export function IoFields({ type, state, update, jsonata, diag }: { type: string; state: JsonObject; update: (c: Record<string, unknown>) => void; jsonata: boolean; diag: (f: string) => Diagnostic[] }) {
  const path = (key: keyof typeof HAS, placeholder: string, help?: string) =>
    HAS[key].has(type) && (
      <TextField label={key} field={key} mono value={str(state[key])} onCommit={(v) => update({ [key]: v })} diagnostics={diag(key)} placeholder={placeholder} help={help} />
    );
  const json = (key: keyof typeof HAS, help?: string) =>
    HAS[key].has(type) && <JsonField label={key} field={key} value={state[key]} onCommit={(v) => update({ [key]: v })} diagnostics={diag(key)} help={help} />;
  if (!hasIoFields(type)) return null;
  return (
    <Section title={jsonata ? "Arguments & output (JSONata)" : "Input & output"} id="io" bare>
      {jsonata ? (
        <>
          {json("Arguments", "JSON with {% %} expressions; sent to the task")}
          {json("Output", "The state's output; defaults to the result")}
        </>
      ) : (
        <>
          {path("InputPath", "$")}
          {json("Parameters", 'Keys ending in ".$" take JSONPath or intrinsic functions')}
          {json("ResultSelector")}
          {path("ResultPath", "$", "Where the result goes in the input; null discards it")}
          {path("OutputPath", "$")}
        </>
      )}
      {json("Assign", "Variables to set after the state")}
    </Section>
  );
}
