"""What a frame's next step consumes: stored as JSON (Frame.inbound, TaskToken.answer),
handed to engine.asl.step as its inbound dataclasses (`to_step`)."""
from __future__ import annotations

from engine.asl import step as asl_step


def task_succeeded(output) -> dict:
    return {"type": "TaskResult", "ok": True, "value": output}


def task_failed(error: str | None, cause: str | None) -> dict:
    return {"type": "TaskResult", "ok": False, "error": error, "cause": cause}


def timer_fired() -> dict:
    return {"type": "Wake"}


def with_worker(inbound: dict, worker_name: str) -> dict:
    """The inbound of an activity task a worker took: its ActivityStarted names the worker."""
    return {**inbound, "worker_name": worker_name} if worker_name else inbound


def is_success(inbound: dict) -> bool:
    return inbound.get("type") == "TaskResult" and inbound.get("ok")


def to_step(inbound):
    """JSON inbound → the evaluator's dataclass (None and dataclasses pass through)."""
    if not isinstance(inbound, dict):
        return inbound
    kind = inbound.get("type")
    if kind == "TaskResult":
        return asl_step.TaskResult(ok=bool(inbound.get("ok")), value=inbound.get("value"),
                                   error=inbound.get("error"), cause=inbound.get("cause"),
                                   worker_name=inbound.get("worker_name"))
    if kind == "Wake":
        return asl_step.Wake()
    raise ValueError(f"unknown inbound {kind!r}")
