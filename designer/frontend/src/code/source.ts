// The definition's text as its author wrote it, and printing an edited
// document back into that text (pure; no DOM).
//
// SAM and CDK users keep definitions with `${Name}` substitutions, quoted
// ("Resource": "${FnArn}") and bare ("Seconds": ${Wait}, which is not JSON).
// `parseSource` reads both: a bare placeholder becomes the string "${Wait}" in
// the document, and the source remembers it was bare. `printSource` writes a
// document back: every value equal to the one read at the same place is
// copied byte for byte from the text (spacing, key order, number spelling,
// bare placeholders); only what was edited is serialised again, indented like
// its surroundings. A document equal to what was read prints the text itself.

import type { Json } from "../asl/types";

export type NodeKind = "object" | "array" | "string" | "number" | "literal" | "placeholder";

export interface SourceNode {
  kind: NodeKind;
  start: number;
  end: number;
  value: Json;
  /** Objects: members in text order (duplicates included). */
  members?: SourceMember[];
  /** Arrays: items in order. */
  items?: SourceNode[];
}

export interface SourceMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  node: SourceNode;
}

export interface Source {
  text: string;
  root: SourceNode;
  /** One level of indentation, as the text uses it (two spaces if it does not say). */
  unit: string;
}

export class SourceSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const PLACEHOLDER = /^\$\{(?!!)[^${}\s]+\}$/;

/** A string that is exactly one `${Name}` placeholder. */
export function isPlaceholder(value: unknown): value is string {
  return typeof value === "string" && PLACEHOLDER.test(value);
}

// -- reading ---------------------------------------------------------------------------------

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  fail(message: string, at = this.i): never {
    const before = this.s.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    throw new SourceSyntaxError(`${message} at line ${line} column ${column}`, at);
  }

  blanks(): void {
    while (this.i < this.s.length && " \t\n\r".includes(this.s[this.i])) this.i++;
  }

  value(): SourceNode {
    this.blanks();
    const c = this.s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') {
      const start = this.i;
      const value = this.string();
      return { kind: "string", start, end: this.i, value };
    }
    if (c === "$" && this.s[this.i + 1] === "{") return this.placeholder();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        const start = this.i;
        this.i += word.length;
        return { kind: "literal", start, end: this.i, value };
      }
    }
    return this.fail(c === undefined ? "Unexpected end of JSON" : `Unexpected character ${JSON.stringify(c)}`);
  }

  placeholder(): SourceNode {
    const start = this.i;
    const close = this.s.indexOf("}", start);
    const text = close < 0 ? "" : this.s.slice(start, close + 1);
    if (!PLACEHOLDER.test(text)) return this.fail("Unclosed or empty ${…} placeholder", start);
    this.i = close + 1;
    return { kind: "placeholder", start, end: this.i, value: text };
  }

  number(): SourceNode {
    const start = this.i;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(start));
    if (!m) return this.fail("Invalid number");
    this.i += m[0].length;
    return { kind: "number", start, end: this.i, value: JSON.parse(m[0]) as number };
  }

  string(): string {
    const start = this.i;
    let j = start + 1;
    while (j < this.s.length) {
      const c = this.s[j];
      if (c === "\\") j += 2;
      else if (c === '"') break;
      else if (c < " ") this.fail("Bad control character in string literal", j);
      else j++;
    }
    if (j >= this.s.length) this.fail("Unterminated string", start);
    this.i = j + 1;
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string;
    } catch {
      return this.fail("Bad escape in string literal", start);
    }
  }

  object(): SourceNode {
    const start = this.i++;
    const value: Record<string, Json> = {};
    const members: SourceMember[] = [];
    this.blanks();
    if (this.s[this.i] === "}") {
      this.i++;
      return { kind: "object", start, end: this.i, value, members };
    }
    for (;;) {
      this.blanks();
      if (this.s[this.i] !== '"') this.fail("Expected a property name in double quotes");
      const keyStart = this.i;
      const key = this.string();
      const keyEnd = this.i;
      this.blanks();
      if (this.s[this.i] !== ":") this.fail("Expected ':' after property name");
      this.i++;
      const node = this.value();
      members.push({ key, keyStart, keyEnd, node });
      // Like JSON.parse: the last of repeated keys wins; "__proto__" stays a plain key.
      Object.defineProperty(value, key, { value: node.value, enumerable: true, writable: true, configurable: true });
      this.blanks();
      const c = this.s[this.i++];
      if (c === "}") break;
      if (c !== ",") this.fail("Expected ',' or '}' after property value", this.i - 1);
    }
    return { kind: "object", start, end: this.i, value, members };
  }

  array(): SourceNode {
    const start = this.i++;
    const items: SourceNode[] = [];
    this.blanks();
    if (this.s[this.i] === "]") {
      this.i++;
      return { kind: "array", start, end: this.i, value: [], items };
    }
    for (;;) {
      items.push(this.value());
      this.blanks();
      const c = this.s[this.i++];
      if (c === "]") break;
      if (c !== ",") this.fail("Expected ',' or ']' after array element", this.i - 1);
    }
    return { kind: "array", start, end: this.i, value: items.map((n) => n.value), items };
  }
}

function detectUnit(text: string): string {
  const m = /\n([ \t]+)["{[\]}]/.exec(text);
  if (!m) return "  ";
  return m[1].startsWith("\t") ? "\t" : " ".repeat(Math.min(m[1].length, 8));
}

/** The document in `text` (JSON, plus bare `${Name}` values), and its source. */
export function parseSource(text: string): { doc: Json; source: Source } {
  const reader = new Reader(text);
  const root = reader.value();
  reader.blanks();
  if (reader.i < text.length) reader.fail("Unexpected text after the JSON value");
  return { doc: root.value, source: { text, root, unit: detectUnit(text) } };
}

// -- writing ---------------------------------------------------------------------------------

function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonEqual((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
  }
  return false;
}

/** Leading blanks of the line holding `at`. */
function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

function fresh(value: Json, indent: string, unit: string, bare?: SourceNode): string {
  if (bare?.kind === "placeholder" && isPlaceholder(value)) return value; // stays bare
  return JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`);
}

class Printer {
  constructor(readonly source: Source) {}

  print(value: Json, node: SourceNode | undefined, indent: string): string {
    const text = this.source.text;
    if (node && jsonEqual(value, node.value)) return text.slice(node.start, node.end);
    if (node?.kind === "object" && value && typeof value === "object" && !Array.isArray(value)) {
      return this.object(value, node, indent);
    }
    if (node?.kind === "array" && Array.isArray(value)) return this.array(value, node, indent);
    return fresh(value, indent, this.source.unit, node);
  }

  private object(value: Record<string, Json>, node: SourceNode, indent: string): string {
    const text = this.source.text;
    const members = node.members!;
    const keys = Object.keys(value);
    if (keys.length === members.length && keys.every((k, i) => members[i].key === k)) {
      // Same keys in the same order: only the changed values are written again.
      let out = "";
      let at = node.start;
      for (const m of members) {
        out += text.slice(at, m.node.start) + this.print(value[m.key], m.node, lineIndent(text, m.keyStart));
        at = m.node.end;
      }
      return out + text.slice(at, node.end);
    }
    // Keys added, removed or reordered: the member list is written again; kept members keep
    // their key and value text, a renamed one finds its old value by equality.
    const byKey = new Map(members.map((m) => [m.key, m]));
    const used = new Set<SourceMember>();
    const multiline = text.slice(node.start, node.end).includes("\n") || members.length === 0;
    const inner = members.length ? lineIndent(text, members[0].keyStart) : indent + this.source.unit;
    const memberIndent = multiline && inner.length > indent.length ? inner : indent + this.source.unit;
    const parts = keys.map((key) => {
      let m = byKey.get(key);
      if (m && used.has(m)) m = undefined;
      if (!m) m = members.find((x) => !used.has(x) && !value.hasOwnProperty(x.key) && jsonEqual(value[key], x.node.value));
      if (m) used.add(m);
      const keyText = m && m.key === key ? text.slice(m.keyStart, m.keyEnd) : JSON.stringify(key);
      const colon = m ? text.slice(m.keyEnd, m.node.start) : ": ";
      return keyText + colon + this.print(value[key], m?.node, multiline ? memberIndent : indent);
    });
    if (!parts.length) return "{}";
    if (!multiline) return `{${parts.join(", ")}}`;
    return `{\n${memberIndent}${parts.join(`,\n${memberIndent}`)}\n${indent}}`;
  }

  private array(value: Json[], node: SourceNode, indent: string): string {
    const text = this.source.text;
    const items = node.items!;
    if (value.length === items.length) {
      let out = "";
      let at = node.start;
      items.forEach((item, i) => {
        out += text.slice(at, item.start) + this.print(value[i], item, lineIndent(text, item.start));
        at = item.end;
      });
      return out + text.slice(at, node.end);
    }
    const used = new Set<SourceNode>();
    const multiline = text.slice(node.start, node.end).includes("\n");
    const itemIndent = multiline && items.length ? lineIndent(text, items[0].start) : indent + this.source.unit;
    const parts = value.map((v, i) => {
      let item: SourceNode | undefined = items.find((x) => !used.has(x) && jsonEqual(v, x.value));
      if (!item && items[i] && !used.has(items[i])) item = items[i];
      if (item) used.add(item);
      return this.print(v, item, multiline ? itemIndent : indent);
    });
    if (!parts.length) return "[]";
    if (!multiline) return `[${parts.join(", ")}]`;
    return `[\n${itemIndent}${parts.join(`,\n${itemIndent}`)}\n${indent}]`;
  }
}

/** Fresh text for a document read from no text: two-space JSON and a final newline. */
export function formatDoc(doc: Json): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** `doc` written into `source`'s text: untouched values keep their bytes (see above). */
export function printSource(doc: Json, source: Source | null): string {
  if (!source) return formatDoc(doc);
  const { text, root } = source;
  const body = new Printer(source).print(doc, root, lineIndent(text, root.start));
  return text.slice(0, root.start) + body + text.slice(root.end);
}
