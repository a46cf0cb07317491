// Diagnostics point into the definition with JSON pointers
// (/States/Par/Branches/0/States/Inner/Next). These helpers map a pointer
// to the node that owns it and the field inside that node.

import { ROOT_SCOPE, branchScopeId, processorScopeId, stateId } from "../asl/ids";
import type { Diagnostic } from "../store/store";

export function splitPointer(pointer: string): string[] {
  if (!pointer || pointer === "/") return [];
  return pointer
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function pointerFor(parts: (string | number)[]): string {
  return parts.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The innermost state a pointer is in (null for machine-level fields) and the rest of the path. */
export function locate(pointer: string): { nodeId: string | null; field: string[] } {
  const parts = splitPointer(pointer);
  let scope = ROOT_SCOPE;
  let nodeId: string | null = null;
  let i = 0;
  let field: string[] = parts;
  while (i < parts.length && parts[i] === "States" && i + 1 < parts.length) {
    nodeId = stateId(scope, parts[i + 1]);
    i += 2;
    field = parts.slice(i);
    if (parts[i] === "Branches" && /^\d+$/.test(parts[i + 1] ?? "") && parts[i + 2] === "States") {
      scope = branchScopeId(nodeId, Number(parts[i + 1]));
      i += 2;
    } else if ((parts[i] === "ItemProcessor" || parts[i] === "Iterator") && parts[i + 1] === "States") {
      scope = processorScopeId(nodeId);
      i += 1;
    } else break;
  }
  return { nodeId, field };
}

export function diagnosticsByNode(diagnostics: Diagnostic[]): Map<string | null, Diagnostic[]> {
  const out = new Map<string | null, Diagnostic[]>();
  for (const d of diagnostics) {
    const { nodeId } = locate(d.location);
    const list = out.get(nodeId) ?? [];
    list.push(d);
    out.set(nodeId, list);
  }
  return out;
}
