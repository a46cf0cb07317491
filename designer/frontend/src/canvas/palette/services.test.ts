import { describe, expect, it } from "vitest";
import { filterGroups } from "./items";
import { SERVICE_ITEMS } from "./services";

describe("the Services palette group", () => {
  it("gives each integration a Task template with AWS's resource and request", () => {
    const keys = new Set(SERVICE_ITEMS.map((i) => i.key));
    expect(keys.size).toBe(SERVICE_ITEMS.length);
    for (const item of SERVICE_ITEMS) {
      const t = item.template as unknown as Record<string, unknown>;
      expect(t.Type).toBe("Task");
      expect(String(t.Resource)).toMatch(/^arn:aws:states:::[a-z0-9-]+:/);
      expect(typeof t.Parameters).toBe("object");
    }
    const sqs = SERVICE_ITEMS.find((i) => i.label === "SQS SendMessage")!.template as unknown as Record<string, unknown>;
    expect(sqs).toMatchObject({ Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { "MessageBody.$": "$" } });
  });

  it("is searchable by service and API", () => {
    const groups = [{ title: "Services", items: SERVICE_ITEMS }];
    expect(filterGroups(groups, "dynamodb")[0].items.map((i) => i.label)).toEqual([
      "DynamoDB GetItem", "DynamoDB PutItem", "DynamoDB UpdateItem", "DynamoDB DeleteItem",
    ]);
    expect(filterGroups(groups, "waitForTaskToken")[0].items).toHaveLength(2);
    expect(filterGroups(groups, "getobject")[0].items.map((i) => i.label)).toEqual(["S3 GetObject"]);
  });
});
