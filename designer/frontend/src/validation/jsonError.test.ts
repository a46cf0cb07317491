import { describe, expect, it } from "vitest";
import { describeCodeError, jsonError } from "./jsonError";

describe("jsonError", () => {
  it("is null for JSON", () => {
    expect(jsonError('{"a": [1, 2.5e3, true, null, "x\\n"]}')).toBeNull();
  });

  it("points at the line and column where a comma is missing", () => {
    const text = '{\n  "StartAt": "A",\n  "States": {}\n  "Comment": "x"\n}';
    const e = jsonError(text)!;
    expect([e.line, e.column]).toEqual([3, 15]);
    expect(describeCodeError(e)).toBe("JSON: line 3, column 15: Expected ',' or '}' after a property value");
  });

  it.each([
    ['{"a": 1,}', 1, 9, "Trailing comma before '}'"],
    ['{"a": x}', 1, 7, "Expected a value"],
    ['{"a": tru}', 1, 7, "Expected a value"],
    ["{a: 1}", 1, 2, "Expected a property name in double quotes"],
    ['{"a": "b\n"}', 1, 9, "Unterminated string"],
    ['{"a": 1', 1, 8, "Unexpected end of the text"],
    ['{"a": 1}}', 1, 9, "Unexpected text after the end of the definition"],
    ["[1,2,,]", 1, 6, "Expected a value"],
    ['{"a" 1}', 1, 6, "Expected ':' after the property name"],
  ])("%s → line %i, column %i", (text, line, column, message) => {
    const e = jsonError(text)!;
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it("says so when the text is empty", () => {
    expect(jsonError("  ")!.message).toBe("The definition is empty");
  });
});
