// Where JSON text stops parsing, as a person looks for it: line and column (1-based) and
// what was expected there. JSON.parse says whether the text is JSON; when it is not, a
// small scanner finds the first offending character (engines word their errors
// differently and V8 often gives no position at all: "Unexpected token 'x', … is not
// valid JSON").

import type { CodeError } from "../store/store";

class Stop extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

function scan(text: string): void {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (message: string, at = i): never => {
    throw new Stop(at >= text.length ? "Unexpected end of the text" : message, at);
  };
  const string = () => {
    const start = i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') return void i++;
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u" ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(e ?? "x")) fail("Invalid escape in a string", i);
        i += e === "u" ? 6 : 2;
      } else if (c < " ") {
        fail(c === "\n" ? "Unterminated string (a line break inside quotes)" : "Control character in a string", i);
      } else i++;
    }
    fail("Unterminated string", start);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(text[i] === "}" ? "Trailing comma before '}'" : "Expected a property name in double quotes");
        string();
        ws();
        if (text[i] !== ":") fail("Expected ':' after the property name");
        i++;
        value();
        const end = i;
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        // Where the comma belongs, not where the next property starts (often the next line).
        else fail("Expected ',' or '}' after a property value", i < text.length ? end : i);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        ws();
        if (text[i] === "]") fail("Trailing comma before ']'");
        value();
        const end = i;
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail("Expected ',' or ']' after an array item", i < text.length ? end : i);
      }
    }
    if (c === '"') return string();
    for (const re of [NUMBER, LITERAL]) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m && !/[\w.]/.test(text[i + m[0].length] ?? "")) {
        i += m[0].length;
        return;
      }
    }
    fail("Expected a value (object, array, string, number, true, false or null)");
  };
  value();
  ws();
  if (i < text.length) fail("Unexpected text after the end of the definition");
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** null when the text is JSON; else what is wrong and where. */
export function jsonError(text: string): CodeError | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    if (!text.trim()) return { message: "The definition is empty", offset: 0, line: 1, column: 1 };
    try {
      scan(text);
    } catch (stop) {
      if (stop instanceof Stop) return { message: stop.message, offset: stop.offset, ...lineColumn(text, stop.offset) };
      throw stop;
    }
    // The scanner accepted what the engine refused (should not happen): keep the engine's words.
    return { message: (e as Error).message, offset: text.length, ...lineColumn(text, text.length) };
  }
}

export function describeCodeError(e: CodeError): string {
  return `JSON: line ${e.line}, column ${e.column}: ${e.message}`;
}
