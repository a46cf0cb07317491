"""Names as Step Functions spells them: services, operations and errors.

Step Functions runs `aws-sdk:*` integrations with the AWS SDK for Java v2 and its optimized
integrations (`sqs:sendMessage`, `dynamodb:putItem`, …) with the SDK for Java v1, and an
error's name is the SDK's exception class, prefixed by the service (conformance corpus,
recorded on AWS):

* aws-sdk: `DynamoDb.ResourceNotFoundException`, `S3.NoSuchKeyException`,
  `Sfn.InvalidTokenException`; an error the service model does not list is the service's
  base exception (`DynamoDb.DynamoDbException`, `SecretsManager.SecretsManagerException`).
  Cause: "MESSAGE (Service: DynamoDb, Status Code: 400, Request ID: ID)".
* optimized: `DynamoDB.ResourceNotFoundException`, `SNS.NotFoundException`,
  `SQS.AmazonSQSException`, `DynamoDB.AmazonDynamoDBException`. Cause: "MESSAGE (Service:
  AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: ID;
  Proxy: null)".
"""
from __future__ import annotations

import re

# The aws-sdk ARN names a service as the SDK for Java v2 names its client package; where
# boto3 names it otherwise (AWS's list of supported services gives the ARN names).
ARN_TO_BOTO3 = {
    "sfn": "stepfunctions",
    "eventbridge": "events",
    "cloudwatchlogs": "logs",
    "cloudwatchevents": "events",
    "elasticloadbalancingv2": "elbv2",
    "elasticloadbalancing": "elb",
    "cognitoidentityprovider": "cognito-idp",
    "cognitoidentity": "cognito-identity",
    "sesv2": "sesv2",
    "databasemigration": "dms",
    "applicationautoscaling": "application-autoscaling",
    "costexplorer": "ce",
    "mediastoredata": "mediastore-data",
    "iotdataplane": "iot-data",
    "lexruntimev2": "lexv2-runtime",
    "sagemakerruntime": "sagemaker-runtime",
    "bedrockruntime": "bedrock-runtime",
    "bedrockagentruntime": "bedrock-agent-runtime",
}

# Optimized integrations (SDK for Java v1): the error prefix, the v1 service name in causes
# and the service's base exception.
V1_SERVICES = {
    "dynamodb": ("DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException"),
    "sqs": ("SQS", "AmazonSQS", "AmazonSQSException"),
    "sns": ("SNS", "AmazonSNS", "AmazonSNSException"),
    "lambda": ("Lambda", "AWSLambda", "AWSLambdaException"),
    "events": ("EventBridge", "AmazonEventBridge", "AmazonEventBridgeException"),
    "s3": ("S3", "Amazon S3", "AmazonS3Exception"),
}

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def java_v2_service_name(service_id: str) -> str:
    """botocore's serviceId → the SDK for Java v2 client prefix ("DynamoDB" → "DynamoDb",
    "SFN" → "Sfn", "Secrets Manager" → "SecretsManager", "S3" → "S3")."""
    out = []
    for word in re.split(r"[\s\-_]+", service_id):
        for token in _WORDS.findall(word):
            out.append(token[:1].upper() + token[1:].lower())
    # Digits stay glued to the word before them ("S" + "3"), as the SDK spells them.
    return "".join(out)


def operation_name(action: str) -> str:
    """The ARN's camelCase action → the API's operation name (`getObject` → `GetObject`)."""
    return action[:1].upper() + action[1:]


def exception_name(shape_name: str) -> str:
    return shape_name if shape_name.endswith("Exception") else f"{shape_name}Exception"


def modelled_error(service_model, code: str) -> str | None:
    """The error shape the service model declares for an error code, if any (matched by
    shape name or by the code it declares: SQS's `AWS.SimpleQueueService.NonExistentQueue`
    is `QueueDoesNotExist`)."""
    if not code:
        return None
    for shape in service_model.error_shapes:
        declared = (shape.metadata.get("error") or {}).get("code")
        if code in (shape.name, declared):
            return shape.name
    return None


def sdk_error(service_model, code: str, message: str, status, request_id: str,
              extended_id: str | None = None, known: str | None = None) -> tuple[str, str]:
    """(error, cause) of an aws-sdk integration's failure (`known`: the modelled error
    botocore recognised, if any)."""
    prefix = java_v2_service_name(service_model.service_id)
    shape = modelled_error(service_model, known) or modelled_error(service_model, code)
    error = f"{prefix}.{exception_name(shape) if shape else prefix + 'Exception'}"
    where = f"Service: {prefix}, Status Code: {status}, Request ID: {request_id}"
    if extended_id:
        where += f", Extended Request ID: {extended_id}"
    return error, f"{message} ({where})"


def optimized_error(service: str, service_model, code: str, message: str, status,
                    request_id: str, known: str | None = None) -> tuple[str, str]:
    """(error, cause) of an optimized integration's failure (SDK for Java v1 naming)."""
    prefix, v1_name, base = V1_SERVICES.get(service) or (
        java_v2_service_name(service_model.service_id), service, "Exception")
    shape = modelled_error(service_model, known) or modelled_error(service_model, code)
    error = f"{prefix}.{exception_name(shape) if shape else base}"
    return error, (f"{message} (Service: {v1_name}; Status Code: {status}; Error Code: {code}; "
                   f"Request ID: {request_id}; Proxy: null)")
