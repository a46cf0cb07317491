// Find where a JSON pointer points in the editor text, so diagnostics land
// on the right key even while the user's formatting differs from ours: from
// the definition's own reading (code/source.ts, which knows bare `${Name}`
// placeholders) when the text reads, else by walking the JSON syntax tree.

import { syntaxTree, ensureSyntaxTree } from "@codemirror/language";
import type { EditorState } from "@codemirror/state";
import type { SyntaxNode } from "@lezer/common";
import { splitPointer } from "../validation/locate";
import { parseSource, type SourceMember, type SourceNode } from "./source";

let cached: { text: string; root: SourceNode | null } = { text: "", root: null };

function sourceRoot(text: string): SourceNode | null {
  if (cached.text !== text) {
    let root: SourceNode | null = null;
    try {
      root = parseSource(text).source.root;
    } catch {
      root = null;
    }
    cached = { text, root };
  }
  return cached.root;
}

function sourceRange(root: SourceNode, pointer: string): { from: number; to: number } {
  let node: SourceNode | undefined = root;
  let range = { from: root.start, to: root.start + 1 };
  for (const part of splitPointer(pointer)) {
    if (node?.kind === "object") {
      const member: SourceMember | undefined = [...node.members!].reverse().find((m) => m.key === part);
      if (!member) return range;
      range = { from: member.keyStart, to: member.keyEnd };
      node = member.node;
    } else if (node?.kind === "array") {
      const item: SourceNode | undefined = node.items![Number(part)];
      if (!item) return range;
      range = { from: item.start, to: Math.min(item.end, item.start + 1) };
      node = item;
    } else return range;
  }
  return range;
}

const VALUE_TYPES = new Set(["Object", "Array", "String", "Number", "True", "False", "Null"]);

function values(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (VALUE_TYPES.has(c.name)) out.push(c);
  return out;
}

export function pointerRange(state: EditorState, pointer: string): { from: number; to: number } | null {
  const root = sourceRoot(state.doc.toString());
  if (root) return sourceRange(root, pointer);
  const tree = ensureSyntaxTree(state, state.doc.length, 200) ?? syntaxTree(state);
  let node: SyntaxNode | null = values(tree.topNode)[0] ?? null;
  let range: { from: number; to: number } | null = node ? { from: node.from, to: node.from + 1 } : null;
  for (const part of splitPointer(pointer)) {
    if (!node) return range;
    if (node.name === "Object") {
      let found: SyntaxNode | null = null;
      for (let p: SyntaxNode | null = node.firstChild; p; p = p.nextSibling) {
        if (p.name !== "Property") continue;
        const key = p.getChild("PropertyName");
        if (!key) continue;
        let text: string;
        try {
          text = JSON.parse(state.sliceDoc(key.from, key.to));
        } catch {
          continue;
        }
        if (text === part) {
          found = p;
          range = { from: key.from, to: key.to };
          break;
        }
      }
      if (!found) return range;
      node = values(found)[0] ?? null;
    } else if (node.name === "Array") {
      const item: SyntaxNode | undefined = values(node)[Number(part)];
      if (!item) return range;
      node = item;
      range = { from: item.from, to: Math.min(item.to, item.from + 1) };
    } else return range;
  }
  return range;
}
