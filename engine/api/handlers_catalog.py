"""The designer's Task palette: registered task handlers and the HTTP task, as ASL templates.

Each entry: name, description (the handler's `description=`, else its docstring's first
paragraph), kind ("handler", "lambda" for register_lambda functions, "http"), queue (the
worker queue that runs it; null: the default one), origin (module.function) and the Task
state that calls it, ready to run as dropped.
"""
from __future__ import annotations

from engine.asl import handlers

HTTP_TASK = {
    "name": "http:invoke",
    # The worker makes the request: it reaches whatever the worker's network reaches
    # (docs/security.md, "What a definition can make the server do").
    "description": "Call an HTTP(S) endpoint from the worker (Step Functions' HTTP task).",
    "kind": "http",
    "queue": None,
    "origin": "engine.runtime.http_task",
    "state_template": {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {"ApiEndpoint": "https://example.com", "Method": "GET"},
        "End": True,
    },
}


def _registered() -> dict[str, handlers.Handler]:
    return handlers.handlers()


def state_template(name: str) -> dict:
    """How a Task state calls the handler (JSONPath, the default query language): by resource
    for "service:action" names and full ARNs, else as a Lambda function through the
    optimised lambda:invoke integration (see engine.asl.handlers' resolution rules)."""
    if name.startswith("arn:"):
        resource = name
    elif ":" in name:
        resource = f"arn:aws:states:::{name}"
    else:
        # The optimised integration's result is the Invoke response ({"Payload": value, …});
        # OutputPath hands the handler's value on as the state's output, as Workflow
        # Studio's Lambda Invoke does, so the next state reads what the handler returned.
        return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": name, "Payload.$": "$"},
                "OutputPath": "$.Payload", "End": True}
    return {"Type": "Task", "Resource": resource, "End": True}


def catalog() -> list[dict]:
    results = []
    for name, handler in sorted(_registered().items()):
        if name == HTTP_TASK["name"]:
            continue  # listed once, below, with its request template
        description = handler.description or (
            f"Lambda function {handler.origin}" if handler.lambda_style
            else f"Task handler {handler.origin}")
        results.append({"name": name, "description": description, "kind": handler.kind,
                        "queue": handler.queue, "origin": handler.origin,
                        "state_template": state_template(name)})
    return results + [HTTP_TASK]
