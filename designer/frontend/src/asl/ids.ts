// Node ids for states. Names are only unique inside one scope (the machine,
// a Parallel branch, a Map processor), so an id is the path of scopes plus
// the name. "%" and "/" in names are percent-encoded so a "/" in a name
// cannot fake a path; everything else stays readable.

export const ROOT_SCOPE = "";

export function stateId(scope: string, name: string): string {
  const part = name.replace(/%/g, "%25").replace(/\//g, "%2F");
  return scope === ROOT_SCOPE ? part : `${scope}/${part}`;
}

/** The scope id of the i-th branch of a Parallel state. */
export function branchScopeId(parallelId: string, index: number): string {
  return `${parallelId}/#b${index}`;
}

/** The scope id of a Map state's item processor. */
export function processorScopeId(mapId: string): string {
  return `${mapId}/#p`;
}

export function startId(scope: string): string {
  return scope === ROOT_SCOPE ? "#start" : `${scope}/#start`;
}

export function endId(scope: string): string {
  return scope === ROOT_SCOPE ? "#end" : `${scope}/#end`;
}

/** Split a state id into its scope and name. */
export function parseStateId(id: string): { scope: string; name: string } {
  const cut = id.lastIndexOf("/");
  if (cut < 0) return { scope: ROOT_SCOPE, name: decodeURIComponent(id) };
  return { scope: id.slice(0, cut), name: decodeURIComponent(id.slice(cut + 1)) };
}

/** For a branch/processor scope id: the owning state id. */
export function scopeOwner(scope: string): string | null {
  if (scope === ROOT_SCOPE) return null;
  return scope.slice(0, scope.lastIndexOf("/"));
}

/** The node at the open end of a Choice rule without a target. */
export function slotId(choiceId: string, index: number): string {
  return `${choiceId}/#open${index}`;
}
