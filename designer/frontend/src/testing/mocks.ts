// The Test panel's test cases and their file: AWS Step Functions Local's mock config
// (docs/testing.md), with StepStudio's extensions `Input`, `Expect` (per case) and `Seconds`
// (per response). Pure: the panel edits `TestCase`s, these functions turn them into the
// file and back.

import type { StateMachine } from "../asl/types";

export type AttemptKind = "return" | "throw" | "timeout";

/** What one attempt of a mocked Task does. JSON values are kept as the text the user typed. */
export interface AttemptMock {
  kind: AttemptKind;
  /** "return": the task's result (JSON text). */
  value?: string;
  /** "throw": the error name and cause. */
  error?: string;
  cause?: string;
  /** The task runs this long on the virtual clock before it answers (0/undefined: at once). */
  seconds?: number;
}

export interface StateMock {
  /** Run the state's real task handler instead of a mock. */
  real: boolean;
  /** attempts[i] answers attempt i (0: first try); later attempts repeat the last one. */
  attempts: AttemptMock[];
}

export interface Expectation {
  status?: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  /** JSON text; empty or undefined: not checked. */
  output?: string;
  error?: string;
  cause?: string;
}

export interface TestCase {
  name: string;
  /** JSON text. */
  input: string;
  states: Record<string, StateMock>;
  /** undefined: the case passes when the execution succeeds. */
  expect?: Expectation;
}

export interface MockConfig {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, unknown>> }>;
  MockedResponses: Record<string, Record<string, Record<string, unknown>>>;
}

export class MockError extends Error {}

function parseJson(text: string | undefined, where: string): unknown {
  if (text === undefined || text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MockError(`${where}: not valid JSON (${(e as Error).message})`);
  }
}

function responseEntry(a: AttemptMock, where: string): Record<string, unknown> {
  let entry: Record<string, unknown>;
  if (a.kind === "return") entry = { Return: parseJson(a.value, where) };
  else if (a.kind === "timeout") entry = { Throw: { Error: "States.Timeout", Cause: a.cause || "The mocked task timed out." } };
  else {
    const thrown: Record<string, string> = { Error: a.error || "Error" };
    if (a.cause) thrown.Cause = a.cause;
    entry = { Throw: thrown };
  }
  if (a.seconds && a.seconds > 0) entry.Seconds = a.seconds;
  return entry;
}

/** Attempts as the file's keys: runs of identical answers become ranges ("0-1"). */
function attemptTable(attempts: AttemptMock[], where: string): Record<string, Record<string, unknown>> {
  const table: Record<string, Record<string, unknown>> = {};
  let i = 0;
  while (i < attempts.length) {
    const entry = responseEntry(attempts[i], `${where}, attempt ${i + 1}`);
    const text = JSON.stringify(entry);
    let j = i;
    while (j + 1 < attempts.length && JSON.stringify(responseEntry(attempts[j + 1], where)) === text) j++;
    table[j > i ? `${i}-${j}` : String(i)] = entry;
    i = j + 1;
  }
  return table;
}

export function responseName(caseName: string, state: string): string {
  return `${caseName}: ${state}`;
}

/** The file for `cases` of the machine `machineName`. Throws MockError naming the bad field. */
export function toMockConfig(machineName: string, cases: TestCase[]): MockConfig {
  const testCases: Record<string, Record<string, unknown>> = {};
  const responses: MockConfig["MockedResponses"] = {};
  for (const c of cases) {
    const mapping: Record<string, unknown> = {};
    for (const [state, mock] of Object.entries(c.states)) {
      if (mock.real || mock.attempts.length === 0) continue;
      const name = responseName(c.name, state);
      responses[name] = attemptTable(mock.attempts, `${c.name} › ${state}`);
      mapping[state] = name;
    }
    const input = parseJson(c.input, `${c.name} › input`);
    // A string there would read as the response of a state named "Input" (docs/testing.md).
    if (typeof input === "string") throw new MockError(`${c.name} › input: a string cannot be a test case's input in the file; wrap it in an object`);
    if (c.input.trim() !== "") mapping.Input = input;
    if (c.expect) {
      const expect: Record<string, unknown> = {};
      if (c.expect.status) expect.Status = c.expect.status;
      if (c.expect.output !== undefined && c.expect.output.trim() !== "") expect.Output = parseJson(c.expect.output, `${c.name} › expected output`);
      if (c.expect.error) expect.Error = c.expect.error;
      if (c.expect.cause) expect.Cause = c.expect.cause;
      if (Object.keys(expect).length) mapping.Expect = expect;
    }
    testCases[c.name] = mapping;
  }
  return { StateMachines: { [machineName]: { TestCases: testCases } }, MockedResponses: responses };
}

/** Real handlers ticked in a case: the REST run's `real_handlers`. */
export function realHandlers(c: TestCase): string[] {
  return Object.entries(c.states).filter(([, m]) => m.real).map(([s]) => s);
}

function attemptsOf(table: Record<string, Record<string, unknown>> | undefined): AttemptMock[] {
  if (!table) return [];
  const keyed = Object.entries(table).map(([key, entry]) => {
    const [lo, hi] = key.split("-").map(Number);
    return { lo, hi: Number.isFinite(hi) ? hi : lo, entry };
  }).filter((k) => Number.isFinite(k.lo)).sort((a, b) => a.lo - b.lo);
  const out: AttemptMock[] = [];
  for (const { lo, hi, entry } of keyed) {
    const seconds = typeof entry.Seconds === "number" && entry.Seconds > 0 ? entry.Seconds : undefined;
    let mock: AttemptMock;
    if ("Throw" in entry) {
      const t = (entry.Throw ?? {}) as Record<string, unknown>;
      mock = t.Error === "States.Timeout"
        ? { kind: "timeout", cause: typeof t.Cause === "string" ? t.Cause : undefined }
        : { kind: "throw", error: String(t.Error ?? ""), cause: typeof t.Cause === "string" ? t.Cause : undefined };
    } else {
      mock = { kind: "return", value: JSON.stringify(entry.Return ?? null, null, 2) };
    }
    if (seconds) mock.seconds = seconds;
    // A gap in the keys repeats the answer before it (as Step Functions Local does).
    while (out.length < lo && out.length > 0) out.push({ ...out[out.length - 1] });
    for (let i = Math.max(lo, out.length); i <= hi; i++) out.push({ ...mock });
  }
  return out;
}

/** Test cases of `machineName` (or of the file's only machine) read from a mock config. */
export function fromMockConfig(config: unknown, machineName: string | null): TestCase[] {
  if (!config || typeof config !== "object") throw new MockError("The file is not a mock config (a JSON object).");
  const cfg = config as Partial<MockConfig>;
  const machines = cfg.StateMachines ?? {};
  const names = Object.keys(machines);
  const name = machineName && machines[machineName] ? machineName : names.length === 1 ? names[0] : null;
  if (!name) throw new MockError(`The file has no test cases for "${machineName ?? ""}" (it has: ${names.join(", ") || "none"}).`);
  const responses = cfg.MockedResponses ?? {};
  const out: TestCase[] = [];
  for (const [caseName, mapping] of Object.entries(machines[name].TestCases ?? {})) {
    const states: Record<string, StateMock> = {};
    let expect: Expectation | undefined;
    let input = "{}";
    for (const [key, value] of Object.entries(mapping)) {
      if (key === "Expect" && value && typeof value === "object") {
        const e = value as Record<string, unknown>;
        expect = {};
        if (typeof e.Status === "string") expect.status = e.Status as Expectation["status"];
        if ("Output" in e) expect.output = JSON.stringify(e.Output, null, 2);
        if (typeof e.Error === "string") expect.error = e.Error;
        if (typeof e.Cause === "string") expect.cause = e.Cause;
      } else if (key === "Input" && typeof value !== "string") {
        input = JSON.stringify(value, null, 2);
      } else if (typeof value === "string") {
        states[key] = { real: false, attempts: attemptsOf(responses[value]) };
      }
    }
    out.push({ name: caseName, input, states, expect });
  }
  return out;
}

/** Task states of a definition, nested ones included (what the Test panel can mock). */
export function taskStates(doc: StateMachine): string[] {
  const out: string[] = [];
  const walk = (states: unknown) => {
    if (!states || typeof states !== "object") return;
    for (const [name, state] of Object.entries(states as Record<string, Record<string, unknown>>)) {
      if (!state || typeof state !== "object") continue;
      if (state.Type === "Task") out.push(name);
      for (const b of Array.isArray(state.Branches) ? state.Branches : []) walk((b as Record<string, unknown>)?.States);
      const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
      if (processor) walk(processor.States);
    }
  };
  walk((doc as unknown as Record<string, unknown>).States);
  return out;
}

export function newCase(name: string): TestCase {
  return { name, input: "{}", states: {} };
}

/** A name not yet used by `cases` ("Case 1", "Case 2", …). */
export function freshName(cases: TestCase[], base = "Case"): string {
  const used = new Set(cases.map((c) => c.name));
  for (let i = cases.length + 1; ; i++) if (!used.has(`${base} ${i}`)) return `${base} ${i}`;
}
