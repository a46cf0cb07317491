// The designer's Test tab: test cases (input, a mocked answer per Task state and attempt,
// the expected end) run on the server's virtual clock through /api/test-runs/ — the
// definition being edited, saved or not — and the run drawn on the canvas (runOverlay).
// Cases are the machine's Step Functions Local mock config (docs/testing.md): saved with the
// machine, imported and exported as that file.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, encodeName, type Api } from "../api/client";
import { useServices } from "../app/context";
import { toGraph } from "../asl/toGraph";
import type { StateMachine } from "../asl/types";
import { DetailsPanel } from "../live/details";
import { STATUS_LABEL } from "../live/graph";
import { useStore } from "../store/useStore";
import { fromMockConfig, freshName, MockError, newCase, realHandlers, taskStates, toMockConfig, type AttemptMock, type StateMock, type TestCase } from "./mocks";
import { caseFromHistory } from "./fromExecution";
import { modelOf, runOverlay, type RunView } from "./runOverlay";
import "./testing.css";

export interface CaseResult {
  name: string;
  passed: boolean;
  status: string;
  output: unknown;
  error: string | null;
  cause: string | null;
  mismatches: string[];
  events?: Record<string, unknown>[];
}

interface RunAnswer {
  passed: number;
  total: number;
  cases: CaseResult[];
}

/** What tests (and curious users) can ask the panel: window.stepstudio.testPanel. */
export interface TestPanelApi {
  lastRunMs: () => number | null;
  summary: () => string;
}

const machineKey = (name: string | null) => name ?? "StateMachine";

/** An execution's input and recorded task results as a test case (Open in test). */
async function loadExecutionCase(api: Api, id: string, doc: StateMachine): Promise<TestCase> {
  const execution = await api.get<{ name: string; input: unknown }>(`/api/executions/${encodeName(id)}/`);
  const events: Record<string, unknown>[] = [];
  let after = 0;
  for (;;) {
    const page = await api.get<{ events: Record<string, unknown>[]; next_after: number | null }>(`/api/executions/${encodeName(id)}/history/?limit=1000&after=${after}`);
    events.push(...page.events);
    if (page.next_after === null) break;
    after = page.next_after;
  }
  return caseFromHistory(doc, events, `From ${execution.name}`, execution.input);
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function AttemptRow({ attempt, index, onChange, onRemove }: { attempt: AttemptMock; index: number; onChange: (a: AttemptMock) => void; onRemove: () => void }) {
  return (
    <div className="sd-test-attempt" data-attempt={index}>
      <div className="sd-test-attempt-head">
        <strong>Attempt {index + 1}</strong>
        <select aria-label={`Attempt ${index + 1}`} value={attempt.kind} data-field="kind" onChange={(e) => onChange({ ...attempt, kind: e.target.value as AttemptMock["kind"] })}>
          <option value="return">returns</option>
          <option value="throw">throws</option>
          <option value="timeout">times out</option>
        </select>
        <label className="sd-test-seconds" title="How long the task runs on the virtual clock before it answers (TimeoutSeconds applies)">
          after{" "}
          <input type="number" min={0} step="any" value={attempt.seconds ?? 0} data-field="seconds" aria-label={`Attempt ${index + 1} seconds`}
            onChange={(e) => onChange({ ...attempt, seconds: Math.max(0, Number(e.target.value) || 0) || undefined })} />{" "}
          s
        </label>
        <button type="button" className="sd-link" onClick={onRemove} aria-label={`Remove attempt ${index + 1}`}>
          Remove
        </button>
      </div>
      {attempt.kind === "return" && (
        <textarea className="sd-test-json" rows={2} spellCheck={false} placeholder="{} (the task's result, JSON)" value={attempt.value ?? ""} data-field="value"
          aria-label={`Attempt ${index + 1} result`} onChange={(e) => onChange({ ...attempt, value: e.target.value })} />
      )}
      {attempt.kind === "throw" && (
        <div className="sd-test-throw">
          <input placeholder="Error (e.g. States.TaskFailed)" value={attempt.error ?? ""} data-field="error" aria-label={`Attempt ${index + 1} error`}
            onChange={(e) => onChange({ ...attempt, error: e.target.value })} />
          <input placeholder="Cause" value={attempt.cause ?? ""} data-field="cause" aria-label={`Attempt ${index + 1} cause`}
            onChange={(e) => onChange({ ...attempt, cause: e.target.value })} />
        </div>
      )}
    </div>
  );
}

function StateMockEditor({ state, mock, onChange }: { state: string; mock: StateMock; onChange: (m: StateMock) => void }) {
  const set = (i: number, a: AttemptMock) => onChange({ ...mock, attempts: mock.attempts.map((x, j) => (j === i ? a : x)) });
  return (
    <fieldset className="sd-test-state" data-mock-state={state}>
      <legend>{state}</legend>
      <label className="sd-test-real">
        <input type="checkbox" checked={mock.real} onChange={(e) => onChange({ ...mock, real: e.target.checked })} data-field="real" /> Run the real handler
      </label>
      {!mock.real && (
        <>
          {mock.attempts.length === 0 && <p className="sd-test-note">Not mocked: the run fails here with StepStudio.NotMocked.</p>}
          {mock.attempts.map((a, i) => (
            <AttemptRow key={i} attempt={a} index={i} onChange={(x) => set(i, x)} onRemove={() => onChange({ ...mock, attempts: mock.attempts.filter((_, j) => j !== i) })} />
          ))}
          {mock.attempts.length > 1 && <p className="sd-test-note">Later attempts repeat the last one.</p>}
          <button type="button" className="sd-btn sd-btn-small" data-action="add-attempt"
            onClick={() => onChange({ ...mock, attempts: [...mock.attempts, mock.attempts.length ? { ...mock.attempts[mock.attempts.length - 1] } : { kind: "return", value: "{}" }] })}>
            + Attempt
          </button>
        </>
      )}
    </fieldset>
  );
}

function ResultBox({ result, stale }: { result: CaseResult; stale: boolean }) {
  return (
    <div className={`sd-test-result ${result.passed ? "pass" : "fail"}`} data-testid="test-result" data-passed={result.passed} data-status={result.status}>
      <strong>{result.passed ? "Pass" : "Fail"}</strong> · {result.status}
      {result.error && (
        <>
          {" "}
          · <code>{result.error}</code>
        </>
      )}
      {result.cause && <p className="sd-test-cause">{result.cause}</p>}
      {result.mismatches.length > 0 && (
        <ul className="sd-test-mismatches">
          {result.mismatches.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
      {result.status === "SUCCEEDED" && <pre className="sd-test-output">{JSON.stringify(result.output, null, 2)}</pre>}
      {stale && <p className="sd-test-note">The definition has changed since this run: run again.</p>}
    </div>
  );
}

export function TestPanel({ name, visible }: { name: string | null; visible: boolean }) {
  const services = useServices();
  const { store, api } = services;
  const doc = useStore(store, (s) => s.doc);
  const selection = useStore(store, (s) => s.selection.nodes[0] ?? null);
  const [cases, setCases] = useState<TestCase[]>(() => [newCase("Case 1")]);
  const [index, setIndex] = useState(0);
  const [results, setResults] = useState<Record<string, CaseResult>>({});
  const [summary, setSummary] = useState<{ passed: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [run, setRun] = useState<RunView | null>(runOverlay.get());
  const [opened, setOpened] = useState<string | null>(null);
  const lastMs = useRef<number | null>(null);
  const detailsRoot = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const tasks = useMemo(() => taskStates(doc), [doc]);
  const current = cases[Math.min(index, cases.length - 1)];

  useEffect(() => runOverlay.subscribe(() => setRun(runOverlay.get())), []);

  // The saved cases, once, when the machine has some; then, with ?test_execution=ID (the
  // live page's "Open in test"), a case made of that execution's input and task results.
  useEffect(() => {
    let live = true;
    (async () => {
      let loaded: TestCase[] = [];
      if (name) {
        try {
          loaded = fromMockConfig(await api.get<unknown>(`/api/state-machines/${encodeName(name)}/test-cases/`), name);
        } catch {
          /* none saved yet */
        }
      }
      const executionId = new URLSearchParams(window.location.search).get("test_execution");
      if (executionId) {
        try {
          const reproduced = await loadExecutionCase(api, executionId, store.get().doc);
          if (loaded.some((c) => c.name === reproduced.name)) reproduced.name = freshName(loaded, reproduced.name);
          loaded = [...loaded, reproduced];
          if (live) setOpened(reproduced.name);
        } catch (e) {
          if (live) setProblem(`Open in test: ${e instanceof ApiError ? e.detail : String(e)}`);
        }
      }
      if (!live || !loaded.length) return;
      setCases(loaded);
      setIndex(executionId ? loaded.length - 1 : 0);
    })();
    return () => {
      live = false;
    };
  }, [api, name, store]);

  useEffect(() => {
    const w = window as Window & { stepstudio?: Record<string, unknown> };
    const panelApi: TestPanelApi = {
      lastRunMs: () => lastMs.current,
      summary: () => (summary ? `${summary.passed} of ${summary.total} pass` : ""),
    };
    w.stepstudio = { ...(w.stepstudio ?? {}), testPanel: panelApi };
  }, [summary]);

  // Step details of the selected state in the run shown: the live view's panel.
  useEffect(() => {
    const root = detailsRoot.current;
    if (!root) return;
    root.replaceChildren();
    if (!run || !selection || !visible) return;
    const node = toGraph(run.doc).nodes.find((n) => n.id === selection);
    if (!node || node.kind !== "state") return;
    new DetailsPanel(root, run.model).show(node);
  }, [run, selection, visible]);

  const update = useCallback((c: TestCase) => setCases((all) => all.map((x) => (x === current ? c : x))), [current]);

  const mockOf = (state: string): StateMock => current.states[state] ?? { real: false, attempts: [] };

  const runCases = async (which: TestCase[]) => {
    setProblem(null);
    const started = performance.now();
    let config;
    try {
      config = toMockConfig(machineKey(name), which);
    } catch (e) {
      setProblem(e instanceof MockError ? e.message : String(e));
      return;
    }
    const definition: StateMachine = store.get().doc;
    setBusy(true);
    try {
      const answers: CaseResult[] = [];
      // One request per case: each has its own ticked real handlers.
      for (const c of which) {
        const answer = await api.post<RunAnswer>("/api/test-runs/", {
          definition, mock_config: config, state_machine_name: machineKey(name), cases: [c.name], real_handlers: realHandlers(c), history: true,
        });
        answers.push(...answer.cases);
      }
      setResults((r) => ({ ...r, ...Object.fromEntries(answers.map((a) => [a.name, a])) }));
      setSummary({ passed: answers.filter((a) => a.passed).length, total: answers.length });
      // The canvas shows the case being edited (or the first failure of a whole run).
      const shown = answers.find((a) => a.name === current.name) ?? answers.find((a) => !a.passed) ?? answers[0];
      if (shown?.events) runOverlay.set({ model: modelOf(definition, shown.events), caseName: shown.name, doc: definition });
      lastMs.current = performance.now() - started;
    } catch (e) {
      if (e instanceof ApiError && e.diagnostics.length) setProblem(`${e.detail} ${e.diagnostics.map((d) => d.explanation || d.message).join(" ")}`);
      else setProblem(e instanceof ApiError ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!name) return;
    try {
      const config = toMockConfig(name, cases);
      await api.put(`/api/state-machines/${encodeName(name)}/test-cases/`, config);
      services.notify(`Saved ${cases.length} test case${cases.length === 1 ? "" : "s"}`, "info");
    } catch (e) {
      setProblem(e instanceof ApiError || e instanceof MockError ? e.message : String(e));
    }
  };

  const exportFile = () => {
    try {
      download(`${machineKey(name)}.mocks.json`, `${JSON.stringify(toMockConfig(machineKey(name), cases), null, 2)}\n`);
    } catch (e) {
      setProblem(e instanceof MockError ? e.message : String(e));
    }
  };

  const importFile = async (file: File) => {
    try {
      const read = fromMockConfig(JSON.parse(await file.text()), name);
      if (!read.length) throw new MockError("The file has no test cases.");
      setCases(read);
      setIndex(0);
      setResults({});
      setSummary(null);
      setProblem(null);
    } catch (e) {
      setProblem(`Import: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const result = results[current.name];
  const expectStatus = current.expect?.status ?? "";
  return (
    <div className="sd-test" data-testid="test-panel">
      <div className="sd-test-bar">
        <select aria-label="Test case" value={index} onChange={(e) => setIndex(Number(e.target.value))} data-field="case">
          {cases.map((c, i) => (
            <option key={i} value={i}>
              {results[c.name] ? (results[c.name].passed ? "✓ " : "✗ ") : ""}
              {c.name}
            </option>
          ))}
        </select>
        <button type="button" className="sd-btn sd-btn-small" data-action="new-case" onClick={() => {
          setCases((all) => [...all, { ...newCase(freshName(all)), input: current.input }]);
          setIndex(cases.length);
        }}>
          New case
        </button>
        <button type="button" className="sd-btn sd-btn-small" data-action="delete-case" disabled={cases.length < 2} onClick={() => {
          setCases((all) => all.filter((c) => c !== current));
          setIndex(0);
        }}>
          Delete
        </button>
      </div>
      <div className="sd-test-run">
        <button type="button" className="sd-btn sd-btn-primary" data-action="run-test" disabled={busy} onClick={() => void runCases([current])}>
          {busy ? "Running…" : "Run"}
        </button>
        <button type="button" className="sd-btn" data-action="run-all" disabled={busy} onClick={() => void runCases(cases)}>
          Run all ({cases.length})
        </button>
        {summary && (
          <span className={`sd-test-summary ${summary.passed === summary.total ? "pass" : "fail"}`} data-testid="test-summary">
            {summary.passed} of {summary.total} pass
          </span>
        )}
        {run && (
          <button type="button" className="sd-link" data-action="clear-run" onClick={() => runOverlay.set(null)}>
            Clear from canvas
          </button>
        )}
      </div>
      {opened && current.name === opened && (
        <p className="sd-test-note" data-testid="opened-execution">
          Made from the execution: its input and the task results it recorded. Run it to reproduce what happened, edit the definition, run again.
        </p>
      )}
      {problem && (
        <p className="sd-error" role="alert" data-testid="test-problem">
          {problem}
        </p>
      )}
      {result && <ResultBox result={result} stale={!!run && run.caseName === result.name && run.doc !== doc} />}
      <label className="sd-test-label">
        Name
        <input value={current.name} data-field="case-name" onChange={(e) => {
          const next = e.target.value;
          if (next && !cases.some((c) => c !== current && c.name === next)) update({ ...current, name: next });
        }} />
      </label>
      <label className="sd-test-label">
        Input
        <textarea className="sd-test-json" rows={3} spellCheck={false} value={current.input} data-field="input" onChange={(e) => update({ ...current, input: e.target.value })} />
      </label>
      <h4 className="sd-test-h">Task results</h4>
      {tasks.length === 0 && <p className="sd-test-note">This machine has no Task state: nothing to mock.</p>}
      {tasks.map((state) => (
        <StateMockEditor key={state} state={state} mock={mockOf(state)} onChange={(m) => update({ ...current, states: { ...current.states, [state]: m } })} />
      ))}
      <h4 className="sd-test-h">Expected</h4>
      <div className="sd-test-expect">
        <select aria-label="Expected status" value={expectStatus} data-field="expect-status"
          onChange={(e) => update({ ...current, expect: { ...current.expect, status: (e.target.value || undefined) as NonNullable<TestCase["expect"]>["status"] } })}>
          <option value="">Succeeds (any output)</option>
          <option value="SUCCEEDED">Succeeded</option>
          <option value="FAILED">Failed</option>
          <option value="TIMED_OUT">Timed out</option>
        </select>
        <textarea className="sd-test-json" rows={2} spellCheck={false} placeholder="Expected output (JSON; empty: not checked)" value={current.expect?.output ?? ""} data-field="expect-output"
          onChange={(e) => update({ ...current, expect: { ...current.expect, output: e.target.value } })} />
        <input placeholder="Expected error (empty: not checked)" value={current.expect?.error ?? ""} data-field="expect-error"
          onChange={(e) => update({ ...current, expect: { ...current.expect, error: e.target.value || undefined } })} />
      </div>
      <div className="sd-test-files">
        <button type="button" className="sd-btn sd-btn-small" data-action="save-cases" disabled={!name} onClick={() => void save()} title={name ? "Save the cases with the state machine" : "Save the state machine first"}>
          Save cases
        </button>
        <button type="button" className="sd-btn sd-btn-small" data-action="export-cases" onClick={exportFile}>
          Export file
        </button>
        <button type="button" className="sd-btn sd-btn-small" data-action="import-cases" onClick={() => fileInput.current?.click()}>
          Import file
        </button>
        <input ref={fileInput} type="file" accept="application/json,.json" hidden data-testid="import-cases-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importFile(f);
            e.target.value = "";
          }} />
      </div>
      <section className="sd-test-details live-details" aria-label="Step details">
        {run && !selection && <p className="sd-test-note">Run of “{run.caseName}” · {STATUS_LABEL[run.model.status === "SUCCEEDED" ? "succeeded" : run.model.status === "RUNNING" ? "in-progress" : "failed"]}: click a state for its step details.</p>}
        <div ref={detailsRoot} data-testid="test-step-details" />
      </section>
    </div>
  );
}
