import { ContainerNode, MarkerNode, ScopeNode } from "./ContainerNode";
import { StateNode } from "./StateNode";

/** React Flow node types: simple states, Parallel/Map containers, their scopes, Start/End. */
export const nodeTypes = { state: StateNode, container: ContainerNode, scope: ScopeNode, marker: MarkerNode };
