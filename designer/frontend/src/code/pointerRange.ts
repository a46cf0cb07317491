// Find where a JSON pointer points in the editor text, by walking the
// JSON syntax tree, so diagnostics land on the right key even while the
// user's formatting differs from ours.

import { syntaxTree, ensureSyntaxTree } from "@codemirror/language";
import type { EditorState } from "@codemirror/state";
import type { SyntaxNode } from "@lezer/common";
import { splitPointer } from "../validation/locate";

const VALUE_TYPES = new Set(["Object", "Array", "String", "Number", "True", "False", "Null"]);

function values(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (VALUE_TYPES.has(c.name)) out.push(c);
  return out;
}

export function pointerRange(state: EditorState, pointer: string): { from: number; to: number } | null {
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
