// Error causes, readable: a handler's unhandled exception arrives as Lambda's error object
// ({"errorMessage", "errorType", "stackTrace": [...]}, see engine/asl/lambda_shapes.py) or
// as a Python traceback in text. The message is shown; the stack trace folds away under a
// "Stack trace" toggle. Anything else is shown as it is.

import { h } from "./dom";

export interface Cause {
  message: string;
  trace?: string;
}

export function splitCause(cause: string | undefined | null): Cause {
  const text = cause ?? "";
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const value = JSON.parse(trimmed) as Record<string, unknown>;
      if (value && typeof value === "object" && ("errorMessage" in value || "stackTrace" in value)) {
        const type = typeof value.errorType === "string" ? value.errorType : "";
        const message = typeof value.errorMessage === "string" ? value.errorMessage : JSON.stringify(value.errorMessage ?? "");
        const stack = Array.isArray(value.stackTrace) ? value.stackTrace.map(String).join("").trimEnd() : "";
        return { message: type && message ? `${type}: ${message}` : message || type, trace: stack || undefined };
      }
    } catch {
      // Not JSON after all: plain text below.
    }
  }
  const at = text.indexOf("Traceback (most recent call last):");
  if (at >= 0) {
    const lines = text.slice(at).trimEnd().split("\n");
    const last = lines[lines.length - 1] ?? "";
    const before = text.slice(0, at).trim();
    return { message: [before, last].filter(Boolean).join("\n"), trace: lines.slice(0, -1).join("\n") };
  }
  return { message: text };
}

/** The cause as elements: the message, then the folded stack trace if there is one. */
export function causeView(cause: string | undefined | null): HTMLElement {
  const { message, trace } = splitCause(cause);
  const box = h("div", { class: "cause-view" }, h("p", { class: "cause" }, message));
  if (trace) {
    const frames = trace.split("\n").filter((l) => l.trimStart().startsWith("File ")).length;
    box.append(h("details", { class: "stack" },
      h("summary", {}, `Stack trace${frames ? ` (${frames} ${frames === 1 ? "frame" : "frames"})` : ""}`),
      h("pre", { class: "stack-trace" }, trace)));
  }
  return box;
}
