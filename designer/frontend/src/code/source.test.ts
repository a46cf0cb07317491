import { describe, expect, it } from "vitest";
import { formatDoc, parseSource, printSource, SourceSyntaxError } from "./source";

// A SAM definition file as people keep them: their own spacing and key order, quoted
// placeholders ("${ChargeFunctionArn}") and bare ones (${WaitSeconds}, not JSON).
const SAM = `{
    "Comment": "Orders for \${Env}",
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "\${ChargeFunctionArn}",
            "TimeoutSeconds": \${Timeout},
            "Retry": [ { "ErrorEquals": ["States.ALL"], "MaxAttempts": 2 } ],
            "Next": "Pause"
        },
        "Pause": { "Type": "Wait", "Seconds": \${WaitSeconds}, "Next": "Done" },
        "Done": {"Type": "Succeed"}
    }
}
`;

function edit(text: string, change: (doc: any) => void): string {
  const { doc, source } = parseSource(text);
  const copy = JSON.parse(JSON.stringify(doc));
  change(copy);
  return printSource(copy, source);
}

describe("parseSource", () => {
  it("reads bare placeholders as their text and quoted ones as strings", () => {
    const { doc } = parseSource(SAM) as { doc: any };
    expect(doc.States.Pause.Seconds).toBe("${WaitSeconds}");
    expect(doc.States.Charge.Resource).toBe("${ChargeFunctionArn}");
    expect(doc.Comment).toBe("Orders for ${Env}");
  });

  it("reads plain JSON exactly as JSON.parse does", () => {
    const text = '{"a": [1, 2.5e3, -0.1, true, null, "x\\u00e9\\n"], "b": {}, "__proto__": 1}';
    expect(parseSource(text).doc).toEqual(JSON.parse(text));
  });

  it("refuses what is neither JSON nor a placeholder, with a position", () => {
    expect(() => parseSource('{"a": ${Unclosed}')).toThrow(SourceSyntaxError);
    expect(() => parseSource('{"a": ${Open')).toThrow(/placeholder/);
    expect(() => parseSource('{"a": 1,}')).toThrow(/line 1/);
  });
});

describe("printSource", () => {
  it("prints an unedited document as the very text it was read from", () => {
    const { doc, source } = parseSource(SAM);
    expect(printSource(doc, source)).toBe(SAM);
  });

  it("rewrites only the edited value, keeping every other byte", () => {
    const out = edit(SAM, (d) => (d.States.Done.Comment = "finished"));
    expect(out).toBe(SAM.replace('"Done": {"Type": "Succeed"}', '"Done": {"Type": "Succeed", "Comment": "finished"}'));
    const changed = edit(SAM, (d) => (d.States.Charge.Retry[0].MaxAttempts = 5));
    expect(changed).toBe(SAM.replace('"MaxAttempts": 2', '"MaxAttempts": 5'));
  });

  it("keeps bare placeholders bare, also when their value is edited to another placeholder", () => {
    const out = edit(SAM, (d) => (d.States.Pause.Seconds = "${PauseSeconds}"));
    expect(out).toContain('"Seconds": ${PauseSeconds}');
    expect(out).toContain('"TimeoutSeconds": ${Timeout}');
    expect(edit(SAM, (d) => (d.States.Pause.Seconds = 30))).toContain('"Seconds": 30,');
  });

  it("writes a new state with the file's own indentation and keeps the others' text", () => {
    const out = edit(SAM, (d) => {
      d.States.Pause.Next = "Audit";
      d.States.Audit = { Type: "Pass", Next: "Done" };
    });
    expect(out).toContain('"Pause": { "Type": "Wait", "Seconds": ${WaitSeconds}, "Next": "Audit" },');
    expect(out).toContain('        "Audit": {\n            "Type": "Pass",\n            "Next": "Done"\n        }\n    }\n}\n');
    expect(out).toContain('"Retry": [ { "ErrorEquals": ["States.ALL"], "MaxAttempts": 2 } ],');
    expect(parseSource(out).doc).toEqual(JSON.parse(JSON.stringify((() => {
      const d: any = parseSource(SAM).doc;
      d.States.Pause.Next = "Audit";
      d.States.Audit = { Type: "Pass", Next: "Done" };
      return d;
    })())));
  });

  it("keeps a renamed state's body text", () => {
    const out = edit(SAM, (d) => {
      const states: any = {};
      for (const [k, v] of Object.entries(d.States)) states[k === "Pause" ? "Hold" : k] = v;
      states.Charge.Next = "Hold";
      d.States = states;
    });
    expect(out).toContain('"Hold": { "Type": "Wait", "Seconds": ${WaitSeconds}, "Next": "Done" }');
  });

  it("returns to the original text when an edit is undone", () => {
    const { doc, source } = parseSource(SAM);
    const edited = JSON.parse(JSON.stringify(doc));
    edited.States.Done.Type = "Pass";
    expect(printSource(edited, source)).not.toBe(SAM);
    expect(printSource(doc, source)).toBe(SAM);
  });

  it("removes array items and members without disturbing the rest", () => {
    const out = edit(SAM, (d) => delete d.States.Charge.Retry);
    expect(out).toContain('"TimeoutSeconds": ${Timeout},\n            "Next": "Pause"');
    expect(out).toContain('"Pause": { "Type": "Wait", "Seconds": ${WaitSeconds}, "Next": "Done" }');
  });

  it("formats a document read from no text as two-space JSON", () => {
    expect(printSource({ a: 1 }, null)).toBe(formatDoc({ a: 1 }));
    expect(formatDoc({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});
