import { json } from "@codemirror/lang-json";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { pointerRange } from "./pointerRange";

describe("pointerRange", () => {
  it("finds the key a diagnostic points at", () => {
    const text = `{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "Next": "B" }\n  }\n}`;
    const state = EditorState.create({ doc: text, extensions: [json()] });
    const r = pointerRange(state, "/States/A/Next")!;
    expect(text.slice(r.from, r.to)).toBe('"Next"');
  });

  it("falls back to the deepest part that exists", () => {
    const text = `{"States": {"A": {"Type": "Pass"}}}`;
    const state = EditorState.create({ doc: text, extensions: [json()] });
    const r = pointerRange(state, "/States/A/Retry/0")!;
    expect(text.slice(r.from, r.to)).toBe('"A"');
  });
});
