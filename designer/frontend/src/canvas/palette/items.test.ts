import { describe, expect, it } from "vitest";
import { FLOW_ITEMS, filterGroups, handlerItems } from "./items";

const handlers = [
  { name: "greet", description: "Say hello", state_template: { Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "greet" } } },
  { name: "http:invoke", description: "Call an HTTP endpoint", state_template: { Resource: "arn:aws:states:::http:invoke" } },
  { name: "http:invoke", description: "Call an HTTP endpoint", state_template: { Resource: "arn:aws:states:::http:invoke", Parameters: {} } },
];

describe("palette items", () => {
  it("lists each handler once, as a Task template", () => {
    const items = handlerItems(handlers);
    expect(items.map((i) => i.key)).toEqual(["handler:greet", "handler:http:invoke"]);
    expect(items[0].template).toMatchObject({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke" });
  });

  it("hides a group with nothing left while searching, heading and all", () => {
    const groups = [
      { title: "Flow", items: FLOW_ITEMS },
      { title: "Task handlers", items: handlerItems(handlers) },
    ];
    expect(filterGroups(groups, "").map((g) => g.items.length)).toEqual([8, 2]);
    const found = filterGroups(groups, "GREE");
    expect(found.map((g) => g.title)).toEqual(["Task handlers"]);
    expect(found[0].items.map((i) => i.label)).toEqual(["greet"]);
    expect(filterGroups(groups, "http").flatMap((g) => g.items.map((i) => i.key))).toEqual(["handler:http:invoke"]);
    expect(filterGroups(groups, "zzz")).toEqual([]);
  });

  it("matches descriptions too", () => {
    expect(filterGroups([{ title: "Flow", items: FLOW_ITEMS }], "branch")[0].items.map((i) => i.label)).toEqual(["Choice", "Parallel"]);
  });
});
