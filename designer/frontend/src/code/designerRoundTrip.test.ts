// The designer round-trips a placeholder-bearing definition byte for byte
// where it was not edited: import the text, edit through commands (as the
// canvas and inspector do), and the text written back (code view, export,
// save) differs only where the edit was.

import { describe, expect, it } from "vitest";
import type { StateMachine } from "../asl/types";
import { createCommandStack } from "../commands";
import { documentText, initialState, Store } from "../store/store";
import { parseSource } from "./source";

const SAM = `{
  "Comment": "Orders for \${Env}",
  "StartAt": "Charge",
  "States": {
    "Charge": {
      "Type": "Task",
      "Resource": "arn:\${AWS::Partition}:states:::lambda:invoke",
      "Parameters": {"FunctionName": "\${ChargeFunctionArn}", "Payload.$": "$"},
      "TimeoutSeconds": \${Timeout},
      "Next": "Pause"
    },
    "Pause": {
      "Type": "Wait",
      "Seconds": \${WaitSeconds},
      "Next": "Done"
    },
    "Done": {
      "Type": "Succeed"
    }
  }
}
`;

function imported(text = SAM) {
  const store = new Store(initialState());
  const stack = createCommandStack(store);
  const read = parseSource(text);
  stack.execute("replaceDocument", { doc: read.doc as StateMachine, source: read.source, resetPositions: true });
  return { store, stack };
}

describe("designer round trip with definition substitutions", () => {
  it("writes an imported file back unchanged", () => {
    const { store } = imported();
    expect(documentText(store.get())).toBe(SAM);
  });

  it("re-serialises only the state that was edited", () => {
    const { store, stack } = imported();
    stack.execute("updateFields", { id: "Done", changes: { Comment: "all good" } });
    expect(documentText(store.get())).toBe(
      SAM.replace('"Done": {\n      "Type": "Succeed"\n    }', '"Done": {\n      "Type": "Succeed",\n      "Comment": "all good"\n    }'),
    );
  });

  it("keeps quoted and bare placeholders as written around an edit", () => {
    const { store, stack } = imported();
    stack.execute("updateFields", { id: "Pause", changes: { Comment: "cool down" } });
    const text = documentText(store.get());
    expect(text).toContain('"Seconds": ${WaitSeconds},');
    expect(text).toContain('"TimeoutSeconds": ${Timeout},');
    expect(text).toContain('"FunctionName": "${ChargeFunctionArn}"');
    expect(text).toContain('"Resource": "arn:${AWS::Partition}:states:::lambda:invoke"');
  });

  it("gives the original bytes back on undo, and the edit again on redo", () => {
    const { store, stack } = imported();
    stack.execute("renameState", { id: "Pause", newName: "Hold" });
    const renamed = documentText(store.get());
    expect(renamed).toContain('"Hold": {\n      "Type": "Wait",\n      "Seconds": ${WaitSeconds},');
    expect(renamed).toContain('"Next": "Hold"');
    stack.undo();
    expect(documentText(store.get())).toBe(SAM);
    stack.redo();
    expect(documentText(store.get())).toBe(renamed);
  });

  it("takes typed text as the new source, and undo brings the previous one back", () => {
    const { store, stack } = imported();
    const typed = SAM.replace('"Type": "Succeed"', '"Type": "Succeed", "Comment": "typed"');
    const read = parseSource(typed);
    stack.execute("replaceDocument", { doc: read.doc as StateMachine, source: read.source });
    expect(documentText(store.get())).toBe(typed);
    stack.undo();
    expect(documentText(store.get())).toBe(SAM);
  });
});
