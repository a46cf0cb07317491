import { ContainerNode, MarkerNode, ScopeNode } from "./ContainerNode";
import { SlotNode } from "./SlotNode";
import { StateNode } from "./StateNode";

/** React Flow node types: simple states, Parallel/Map containers, their scopes, Start/End, open Choice rule ends. */
export const nodeTypes = { state: StateNode, container: ContainerNode, scope: ScopeNode, marker: MarkerNode, slot: SlotNode };
