import { describe, expect, it } from "vitest";
import type { Api } from "../api/client";
import { EMPTY_INPUT, loadStartInput } from "./startInput";

function fakeApi(answers: Record<string, unknown>): Api & { asked: string[] } {
  const asked: string[] = [];
  const get = async <T>(path: string): Promise<T> => {
    asked.push(path);
    if (!(path in answers)) throw new Error(`unexpected ${path}`);
    return answers[path] as T;
  };
  const refuse = async <T>(): Promise<T> => {
    throw new Error("read only");
  };
  return { asked, get, post: refuse, patch: refuse, put: refuse };
}

const MACHINE = "/api/state-machines/a%20b/";
const LAST = "/api/executions/?state_machine=a%20b&page_size=1";

describe("loadStartInput", () => {
  it("offers an example input the caller already has, without asking the server", async () => {
    const api = fakeApi({});
    expect(await loadStartInput(api, "a b", { n: 1 })).toBe('{\n  "n": 1\n}');
    expect(api.asked).toEqual([]);
  });

  it("offers the machine's saved example input next", async () => {
    const api = fakeApi({ [MACHINE]: { example_input: [1, 2] } });
    expect(JSON.parse(await loadStartInput(api, "a b"))).toEqual([1, 2]);
    expect(api.asked).toEqual([MACHINE]);
  });

  it("falls back to the last execution's input, then to an empty object", async () => {
    const withRun = fakeApi({ [MACHINE]: { example_input: null }, [LAST]: { results: [{ input: { again: true } }] } });
    expect(JSON.parse(await loadStartInput(withRun, "a b"))).toEqual({ again: true });
    const never = fakeApi({ [MACHINE]: { example_input: null }, [LAST]: { results: [] } });
    expect(await loadStartInput(never, "a b")).toBe(EMPTY_INPUT);
  });

  it("keeps falsy example inputs such as 0 or an empty string", async () => {
    expect(await loadStartInput(fakeApi({ [MACHINE]: { example_input: 0 } }), "a b")).toBe("0");
    expect(await loadStartInput(fakeApi({}), "a b", "")).toBe('""');
  });
});
