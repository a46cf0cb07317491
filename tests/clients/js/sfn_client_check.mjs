// The AWS SDK for JavaScript v3 Step Functions client against a live StepStudio.
// Driven by tests/clients/test_js_sdk.py: STEPSTUDIO_URL, AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY come from the environment. Each check throws on the first
// difference; the last line printed is a JSON summary the Python test reads.
import assert from "node:assert/strict";
import {
  SFNClient, CreateStateMachineCommand, DescribeStateMachineCommand, ListStateMachinesCommand,
  StartExecutionCommand, DescribeExecutionCommand, ListExecutionsCommand,
  GetExecutionHistoryCommand, StartSyncExecutionCommand, PublishStateMachineVersionCommand,
  ListStateMachineVersionsCommand, CreateStateMachineAliasCommand,
  DescribeStateMachineAliasCommand, ListStateMachineAliasesCommand, TagResourceCommand,
  UntagResourceCommand, ListTagsForResourceCommand, DeleteStateMachineCommand,
  ExecutionDoesNotExist, StateMachineDoesNotExist, ValidationException, SFNServiceException,
  InvalidArn, InvalidToken, paginateListExecutions,
} from "@aws-sdk/client-sfn";

const endpoint = process.env.STEPSTUDIO_URL;
const sfn = new SFNClient({
  endpoint,
  region: "us-east-1",
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  },
  // StartSyncExecution's model sends it to "sync-<host>"; 127.0.0.1 has no such twin.
  disableHostPrefix: true,
  maxAttempts: 1,
});
const ROLE = "arn:aws:iam::123456789012:role/demo";
const passing = (result) => JSON.stringify({
  StartAt: "P", States: { P: { Type: "Pass", Result: result, End: true } },
});
const done = [];
const check = async (name, fn) => { await fn(); done.push(name); };

async function rejects(promise, klass, code) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof klass, `${error.name} is not a ${klass.name}: ${error.message}`);
    assert.ok(error instanceof SFNServiceException);
    assert.equal(error.name, code);
    assert.equal(error.$metadata.httpStatusCode, 400);
    return error;
  }
  assert.fail(`expected ${code}`);
}

let arn, executionArn, versionArn;

await check("create-describe-list", async () => {
  const created = await sfn.send(new CreateStateMachineCommand({
    name: "js-sdk", definition: passing({ hello: "js" }), roleArn: ROLE, publish: true,
    tags: [{ key: "team", value: "data" }],
  }));
  arn = created.stateMachineArn;
  versionArn = created.stateMachineVersionArn;
  assert.match(arn, /^arn:aws:states:us-east-1:\d{12}:stateMachine:js-sdk$/);
  assert.equal(versionArn, `${arn}:1`);
  assert.ok(created.creationDate instanceof Date);
  const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  assert.equal(described.definition, passing({ hello: "js" }));
  assert.equal(described.status, "ACTIVE");
  assert.equal(described.type, "STANDARD");
  assert.equal(described.roleArn, ROLE);
  const listed = await sfn.send(new ListStateMachinesCommand({}));
  assert.deepEqual(listed.stateMachines.map((m) => m.name), ["js-sdk"]);
});

await check("start-describe-list-history", async () => {
  const started = await sfn.send(new StartExecutionCommand({
    stateMachineArn: arn, name: "run-1", input: JSON.stringify({ n: 1 }),
  }));
  executionArn = started.executionArn;
  assert.ok(started.startDate instanceof Date);
  let described;
  for (let i = 0; i < 100; i++) {  // a worker may take the step: wait for the end (bounded)
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== "RUNNING") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(described.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(described.output), { hello: "js" });
  assert.deepEqual(JSON.parse(described.input), { n: 1 });
  assert.ok(described.stopDate instanceof Date);
  const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
  assert.deepEqual(listed.executions.map((e) => e.executionArn), [executionArn]);
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  assert.deepEqual(history.events.map((e) => e.type), [
    "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
  assert.deepEqual(history.events.map((e) => e.id), [1, 2, 3, 4]);
  const paged = await sfn.send(new GetExecutionHistoryCommand({
    executionArn, maxResults: 2, reverseOrder: true }));
  assert.deepEqual(paged.events.map((e) => e.id), [4, 3]);
  assert.ok(paged.nextToken);
});

await check("paginate", async () => {
  await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "run-2" }));
  const seen = [];
  for await (const page of paginateListExecutions({ client: sfn, pageSize: 1 },
                                                  { stateMachineArn: arn })) {
    assert.ok(page.executions.length <= 1);
    seen.push(...page.executions.map((e) => e.name));
  }
  assert.deepEqual(seen.sort(), ["run-1", "run-2"]);
  const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }));
  await rejects(sfn.send(new ListExecutionsCommand({
    stateMachineArn: arn, maxResults: 1, statusFilter: "ABORTED", nextToken: first.nextToken,
  })), InvalidToken, "InvalidToken");
});

await check("start-sync-execution", async () => {
  const express = await sfn.send(new CreateStateMachineCommand({
    name: "js-sdk-express", type: "EXPRESS", definition: passing("sync"), roleArn: ROLE,
  }));
  const answer = await sfn.send(new StartSyncExecutionCommand({
    stateMachineArn: express.stateMachineArn, input: "{}",
  }));
  assert.equal(answer.status, "SUCCEEDED");
  assert.equal(JSON.parse(answer.output), "sync");
  assert.ok(answer.stopDate instanceof Date);
  assert.equal(answer.stateMachineArn, express.stateMachineArn);
});

await check("versions-aliases", async () => {
  const published = await sfn.send(new PublishStateMachineVersionCommand({
    stateMachineArn: arn, description: "again" }));
  assert.equal(published.stateMachineVersionArn, versionArn);  // same revision: same version
  const versions = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
  assert.deepEqual(versions.stateMachineVersions.map((v) => v.stateMachineVersionArn),
                   [versionArn]);
  const alias = await sfn.send(new CreateStateMachineAliasCommand({
    name: "prod", routingConfiguration: [{ stateMachineVersionArn: versionArn, weight: 100 }],
  }));
  assert.equal(alias.stateMachineAliasArn, `${arn}:prod`);
  const described = await sfn.send(new DescribeStateMachineAliasCommand({
    stateMachineAliasArn: alias.stateMachineAliasArn }));
  assert.deepEqual(described.routingConfiguration,
                   [{ stateMachineVersionArn: versionArn, weight: 100 }]);
  const listed = await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
  assert.deepEqual(listed.stateMachineAliases.map((a) => a.stateMachineAliasArn),
                   [alias.stateMachineAliasArn]);
  const run = await sfn.send(new StartExecutionCommand({
    stateMachineArn: alias.stateMachineAliasArn }));
  const ran = await sfn.send(new DescribeExecutionCommand({ executionArn: run.executionArn }));
  assert.equal(ran.stateMachineAliasArn, alias.stateMachineAliasArn);
  assert.equal(ran.stateMachineVersionArn, versionArn);
});

await check("tags", async () => {
  await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "env", value: "ci" }] }));
  let tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  assert.deepEqual(tags.tags.sort((a, b) => a.key.localeCompare(b.key)),
                   [{ key: "env", value: "ci" }, { key: "team", value: "data" }]);
  await sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["team"] }));
  tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  assert.deepEqual(tags.tags, [{ key: "env", value: "ci" }]);
});

await check("errors", async () => {
  const missing = executionArn.replace(":run-1", ":never-ran");
  const error = await rejects(sfn.send(new DescribeExecutionCommand({ executionArn: missing })),
                              ExecutionDoesNotExist, "ExecutionDoesNotExist");
  assert.ok(error.message.includes(missing), error.message);
  await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}-gone` })),
                StateMachineDoesNotExist, "StateMachineDoesNotExist");
  await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: "not-an-arn" })),
                InvalidArn, "InvalidArn");
  await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "x".repeat(81) })),
                ValidationException, "ValidationException");
});

await check("delete", async () => {
  await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
  await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })),
                StateMachineDoesNotExist, "StateMachineDoesNotExist");
});

console.log(JSON.stringify({ passed: done }));
