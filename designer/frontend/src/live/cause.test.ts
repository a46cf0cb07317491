import { describe, expect, it } from "vitest";
import { splitCause } from "./cause";

describe("error causes", () => {
  it("splits Lambda's error object into the message and the stack trace", () => {
    const cause = JSON.stringify({
      errorMessage: "division by zero", errorType: "ZeroDivisionError", requestId: "r",
      stackTrace: ['  File "myapp/handlers.py", line 12, in charge\n    return 1 / 0\n'],
    });
    expect(splitCause(cause)).toEqual({ message: "ZeroDivisionError: division by zero", trace: '  File "myapp/handlers.py", line 12, in charge\n    return 1 / 0' });
  });

  it("folds a Python traceback in text, keeping its last line as the message", () => {
    const cause = 'Traceback (most recent call last):\n  File "a.py", line 1, in f\n    g()\nValueError: bad value';
    expect(splitCause(cause)).toEqual({ message: "ValueError: bad value", trace: 'Traceback (most recent call last):\n  File "a.py", line 1, in f\n    g()' });
  });

  it("leaves other causes, JSON or not, as they are", () => {
    expect(splitCause("The external job reported FAILED")).toEqual({ message: "The external job reported FAILED" });
    expect(splitCause('{"reason": "x"}')).toEqual({ message: '{"reason": "x"}' });
    expect(splitCause(undefined)).toEqual({ message: "" });
  });
});
