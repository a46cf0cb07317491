// Between an edit and the server's next answer, the designer shows the quick local checks.
// Alone they would drop what only the server finds (a resource it cannot call, a path
// without ".$", JSONata errors) and the count would flicker on every keystroke. So the
// server's findings about states the edit did not touch stay until the answer: documents
// are immutable, so "not touched" is "the same state object". Findings that depend on the
// whole graph (targets, reachability, the end state) are the local checks' until then.

import { getState } from "../asl/scopes";
import type { StateMachine } from "../asl/types";
import type { Diagnostic } from "../store/store";
import { locate } from "./locate";

const GRAPH_CODES = new Set(["MISSING_TRANSITION_TARGET", "MISSING_END_STATE"]);

const key = (d: Diagnostic) => `${d.code} ${d.field || d.location}`;

export function carryOver(server: Diagnostic[], serverDoc: StateMachine | null, doc: StateMachine, local: Diagnostic[]): Diagnostic[] {
  if (!serverDoc) return local;
  const seen = new Set(local.map(key));
  const kept = server.filter((d) => {
    if (GRAPH_CODES.has(d.code) || seen.has(key(d))) return false;
    const { nodeId } = locate(d.field || d.location);
    if (nodeId === null) return false;
    const now = getState(doc, nodeId);
    return now !== null && now === getState(serverDoc, nodeId);
  });
  return [...local, ...kept];
}
