import { describe, expect, it } from "vitest";
import { locate, pointerFor } from "./locate";

describe("locate", () => {
  it("maps a state field", () => {
    expect(locate("/States/CheckTaskStatus/Next")).toEqual({ nodeId: "CheckTaskStatus", field: ["Next"] });
  });
  it("walks into Parallel branches and Map processors", () => {
    expect(locate("/States/P/Branches/1/States/A/Retry/0")).toEqual({ nodeId: "P/#b1/A", field: ["Retry", "0"] });
    expect(locate("/States/M/ItemProcessor/States/B")).toEqual({ nodeId: "M/#p/B", field: [] });
  });
  it("keeps machine-level pointers on the machine", () => {
    expect(locate("/StartAt")).toEqual({ nodeId: null, field: ["StartAt"] });
  });
  it("decodes escaped names", () => {
    expect(locate(pointerFor(["States", "a/b", "Next"]))).toEqual({ nodeId: "a%2Fb", field: ["Next"] });
  });
});
