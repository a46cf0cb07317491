// The designer's command registry: one handler per kind of edit.

import type { Store } from "../store/store";
import { CommandStack } from "./CommandStack";
import { deleteSelectionHandler } from "./handlers/composite";
import { addBranchHandler, removeBranchHandler, replaceDocumentHandler, updateMachineHandler, updateScopeFieldsHandler } from "./handlers/document";
import { connectHandler, deleteEdgeHandler, reconnectHandler } from "./handlers/edges";
import { setExampleInputHandler } from "./handlers/exampleInput";
import { addStateHandler, deleteStateHandler, insertOnEdgeHandler, pasteHandler, renameStateHandler, updateFieldsHandler } from "./handlers/states";
import { moveNodesHandler, relayoutHandler } from "./handlers/view";

export function createCommandStack(store: Store): CommandStack {
  const stack = new CommandStack(store);
  stack.register("addState", addStateHandler);
  stack.register("insertOnEdge", insertOnEdgeHandler);
  stack.register("deleteState", deleteStateHandler);
  stack.register("renameState", renameStateHandler);
  stack.register("updateFields", updateFieldsHandler);
  stack.register("paste", pasteHandler);
  stack.register("connect", connectHandler);
  stack.register("reconnect", reconnectHandler);
  stack.register("deleteEdge", deleteEdgeHandler);
  stack.register("updateMachine", updateMachineHandler);
  stack.register("updateScopeFields", updateScopeFieldsHandler);
  stack.register("replaceDocument", replaceDocumentHandler);
  stack.register("addBranch", addBranchHandler);
  stack.register("removeBranch", removeBranchHandler);
  stack.register("moveNodes", moveNodesHandler);
  stack.register("relayout", relayoutHandler);
  stack.register("deleteSelection", deleteSelectionHandler);
  stack.register("setExampleInput", setExampleInputHandler);
  return stack;
}

export { CommandStack };
