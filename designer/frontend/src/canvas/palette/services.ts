// The palette's "Services" group: AWS service integrations with the request templates AWS's
// Workflow Studio starts them with. A Task here calls the real service when the server has
// STEPSTUDIO_AWS_INTEGRATIONS on (docs/integrations.md); placeholders in CAPITALS (REGION,
// ACCOUNT_ID, names) are for the author to fill in.

import type { State } from "../../asl/types";
import type { PaletteItem } from "../dragState";

interface ServiceTemplate {
  label: string;
  description: string;
  resource: string;
  parameters: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

const LAMBDA_RETRY = [
  {
    ErrorEquals: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: "FULL",
  },
];
const TOKEN_INPUT = { "input.$": "$", "taskToken.$": "$$.Task.Token" };
const KEY = { Column: { S: "MyEntry" } };

const TEMPLATES: ServiceTemplate[] = [
  {
    label: "Lambda Invoke",
    description: "AWS Lambda: invoke a function (lambda:invoke)",
    resource: "arn:aws:states:::lambda:invoke",
    parameters: { FunctionName: "arn:aws:lambda:REGION:ACCOUNT_ID:function:FUNCTION_NAME", "Payload.$": "$" },
    extra: { OutputPath: "$.Payload", Retry: LAMBDA_RETRY },
  },
  {
    label: "Lambda callback",
    description: "AWS Lambda: invoke with a task token, wait for SendTaskSuccess (lambda:invoke.waitForTaskToken)",
    resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    parameters: { FunctionName: "arn:aws:lambda:REGION:ACCOUNT_ID:function:FUNCTION_NAME", Payload: TOKEN_INPUT },
  },
  {
    label: "SQS SendMessage",
    description: "Amazon SQS: send a message to a queue (sqs:sendMessage)",
    resource: "arn:aws:states:::sqs:sendMessage",
    parameters: { QueueUrl: "https://sqs.REGION.amazonaws.com/ACCOUNT_ID/QUEUE_NAME", "MessageBody.$": "$" },
  },
  {
    label: "SQS callback",
    description: "Amazon SQS: send a message with a task token, wait for SendTaskSuccess (sqs:sendMessage.waitForTaskToken)",
    resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    parameters: { QueueUrl: "https://sqs.REGION.amazonaws.com/ACCOUNT_ID/QUEUE_NAME", MessageBody: TOKEN_INPUT },
  },
  {
    label: "SNS Publish",
    description: "Amazon SNS: publish a message to a topic (sns:publish)",
    resource: "arn:aws:states:::sns:publish",
    parameters: { TopicArn: "arn:aws:sns:REGION:ACCOUNT_ID:TOPIC_NAME", "Message.$": "$" },
  },
  {
    label: "DynamoDB GetItem",
    description: "Amazon DynamoDB: read an item (dynamodb:getItem)",
    resource: "arn:aws:states:::dynamodb:getItem",
    parameters: { TableName: "MyDynamoDBTable", Key: KEY },
  },
  {
    label: "DynamoDB PutItem",
    description: "Amazon DynamoDB: write an item (dynamodb:putItem)",
    resource: "arn:aws:states:::dynamodb:putItem",
    parameters: { TableName: "MyDynamoDBTable", Item: KEY },
  },
  {
    label: "DynamoDB UpdateItem",
    description: "Amazon DynamoDB: update an item (dynamodb:updateItem)",
    resource: "arn:aws:states:::dynamodb:updateItem",
    parameters: {
      TableName: "MyDynamoDBTable",
      Key: KEY,
      UpdateExpression: "SET MyKey = :myValueRef",
      ExpressionAttributeValues: { ":myValueRef": { S: "MyValue" } },
    },
  },
  {
    label: "DynamoDB DeleteItem",
    description: "Amazon DynamoDB: delete an item (dynamodb:deleteItem)",
    resource: "arn:aws:states:::dynamodb:deleteItem",
    parameters: { TableName: "MyDynamoDBTable", Key: KEY },
  },
  {
    label: "EventBridge PutEvents",
    description: "Amazon EventBridge: send events to a bus (events:putEvents)",
    resource: "arn:aws:states:::events:putEvents",
    parameters: { Entries: [{ Detail: { Message: "Hello from Step Functions!" }, DetailType: "MyDetailType", EventBusName: "MyEventBusName", Source: "MySource" }] },
  },
  {
    label: "S3 GetObject",
    description: "Amazon S3: read an object (aws-sdk:s3:getObject)",
    resource: "arn:aws:states:::aws-sdk:s3:getObject",
    parameters: { Bucket: "MyBucket", Key: "MyKey" },
  },
  {
    label: "S3 PutObject",
    description: "Amazon S3: write an object (aws-sdk:s3:putObject)",
    resource: "arn:aws:states:::aws-sdk:s3:putObject",
    parameters: { Bucket: "MyBucket", Key: "MyKey", "Body.$": "$" },
  },
  {
    label: "S3 ListObjectsV2",
    description: "Amazon S3: list objects (aws-sdk:s3:listObjectsV2)",
    resource: "arn:aws:states:::aws-sdk:s3:listObjectsV2",
    parameters: { Bucket: "MyBucket", Prefix: "MyPrefix/" },
  },
  {
    label: "Secrets Manager GetSecretValue",
    description: "AWS Secrets Manager: read a secret (aws-sdk:secretsmanager:getSecretValue)",
    resource: "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue",
    parameters: { SecretId: "MySecret" },
  },
  {
    label: "Step Functions StartExecution",
    description: "AWS Step Functions: run a state machine and wait for it (states:startExecution.sync:2)",
    resource: "arn:aws:states:::states:startExecution.sync:2",
    parameters: {
      StateMachineArn: "arn:aws:states:REGION:ACCOUNT_ID:stateMachine:MyStateMachine",
      Input: { "StatePayload.$": "$", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" },
    },
  },
];

/** The Services group's items: Task templates, searchable by label and description (service and API). */
export const SERVICE_ITEMS: PaletteItem[] = TEMPLATES.map((t) => ({
  key: `service:${t.resource}`,
  label: t.label,
  stateType: "Task",
  description: t.description,
  template: { Type: "Task", Resource: t.resource, Parameters: t.parameters, ...(t.extra ?? {}) } as unknown as State,
}));
