"""Task-token callbacks: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat."""
from __future__ import annotations

from .. import service_calls
from ..dispatch import action


@action("SendTaskSuccess")
def send_task_success(caller, params):
    service_calls.send_task_success(caller, params["taskToken"], params["output"])
    return {}


@action("SendTaskFailure")
def send_task_failure(caller, params):
    service_calls.send_task_failure(caller, params["taskToken"], params.get("error", ""),
                                    params.get("cause", ""))
    return {}


@action("SendTaskHeartbeat")
def send_task_heartbeat(caller, params):
    service_calls.send_task_heartbeat(caller, params["taskToken"])
    return {}
