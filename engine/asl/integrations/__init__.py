"""Real AWS service calls for Task states, opt-in (framework-free: no Django here).

`AwsInvoker(AwsSettings(enabled=True, allowed_services=("sqs", "dynamodb")))` is the
fallback of the handler registry (`engine.asl.handlers.set_fallback_invoker`): a Task with
no mock and no registered handler reaches it. It answers

* None — the request is not its to answer (integrations off, not an AWS resource, the
  native `states:` integrations): the registry's "no handler" error stands;
* a failure naming `STEPSTUDIO_AWS_ALLOWED_SERVICES` — the service is not allowed;
* else the service's answer (calls.py), a Map's items read from S3 or its results written
  to S3 (s3_items.py).

Precedence (what answers a Task): a mock config, then a registered handler, then this
invoker when enabled, else the clear "no task handler" error. The settings come from the
caller (the Django app reads them from its settings; engine.asl reads none).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..step import TaskResult
from . import calls, s3_items
from .clients import ClientFactory


@dataclass(frozen=True)
class AwsSettings:
    enabled: bool = False
    # boto3 or ARN service names ("sqs", "sfn"/"stepfunctions"); empty: every service.
    allowed_services: tuple[str, ...] = ()
    # How many result items one ResultWriter file holds at most (AWS splits by size too).
    result_file_items: int = s3_items.RESULT_FILE_ITEMS


@dataclass
class AwsInvoker:
    settings: AwsSettings
    clients: ClientFactory = field(default_factory=ClientFactory)

    def allowed(self, arn_name: str, boto3_name: str) -> bool:
        allowed = self.settings.allowed_services
        return not allowed or "*" in allowed or arn_name in allowed or boto3_name in allowed

    def __call__(self, request: dict) -> TaskResult | None:
        if not self.settings.enabled:
            return None
        found = calls.target(request)
        if found is None:
            return None
        arn_name, _, sdk = found
        try:
            boto3_name = calls.boto3_service(arn_name, self.clients.base_session()) if sdk \
                else arn_name
        except calls.Unsupported as exc:
            return TaskResult(False, None, "States.Runtime", str(exc))
        if not self.allowed(arn_name, boto3_name):
            return TaskResult(False, None, "States.TaskFailed",
                              f"The service '{arn_name}' is not in STEPSTUDIO_AWS_ALLOWED_SERVICES "
                              f"({', '.join(self.settings.allowed_services)}): the Task "
                              f"'{request.get('state')}' was not called")
        kind = request.get("kind")
        if kind == "item_reader":
            return s3_items.read_items(self.clients, request)
        if kind == "result_writer":
            return s3_items.write_results(self.clients, request, self.settings.result_file_items)
        return calls.call(self.clients, request)
