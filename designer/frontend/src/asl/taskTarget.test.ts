import { describe, expect, it } from "vitest";
import { taskTarget, taskTargetText } from "./taskTarget";

describe("taskTarget", () => {
  it("names the handler a Lambda Invoke calls, by FunctionName or function ARN", () => {
    expect(taskTarget({ Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "greet", "Payload.$": "$" } })).toEqual({ kind: "function", label: "greet" });
    expect(taskTarget({ Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:resize:prod" } }).label).toBe("resize");
    expect(taskTarget({ Resource: "arn:aws:lambda:us-east-1:000000000000:function:greet" }).label).toBe("greet");
    expect(taskTarget({ Resource: "arn:aws:states:::lambda:invoke", Parameters: { "FunctionName.$": "$.fn" } }).label).toBe("function from $.fn");
  });

  it("names service integrations service:action, with how they wait", () => {
    expect(taskTarget({ Resource: "arn:aws:states:::dynamodb:putItem" }).label).toBe("dynamodb:putItem");
    expect(taskTarget({ Resource: "arn:aws:states:::aws-sdk:s3:listBuckets" }).label).toBe("s3:listBuckets");
    expect(taskTargetText({ Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken" })).toBe("sqs:sendMessage · waits for callback");
    expect(taskTargetText({ Resource: "arn:aws:states:::states:startExecution.sync:2" })).toBe("states:startExecution · waits for completion");
  });

  it("names the HTTP endpoint and activities", () => {
    expect(taskTarget({ Resource: "arn:aws:states:::http:invoke", Parameters: { ApiEndpoint: "https://api.example.com/v1/x", Method: "POST" } }).label).toBe("HTTP POST api.example.com");
    expect(taskTarget({ Resource: "arn:aws:states:us-east-1:123456789012:activity:approve" }).label).toBe("activity approve");
  });

  it("shows anything else whole, and says when nothing is chosen", () => {
    expect(taskTarget({ Resource: "arn:stepstudio:task:work" }).label).toBe("arn:stepstudio:task:work");
    expect(taskTarget({ Resource: "${CreateFn}" }).label).toBe("${CreateFn}");
    expect(taskTarget({ Resource: "" }).kind).toBe("none");
  });
});
