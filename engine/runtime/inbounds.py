"""What a frame's next step consumes: stored as JSON (Frame.inbound, TaskToken.answer),
handed to engine.asl.step as its inbound dataclasses (`to_step`)."""
from __future__ import annotations

from engine.asl import step as asl_step


def task_succeeded(output, submitted=None) -> dict:
    out = {"type": "TaskResult", "ok": True, "value": output}
    if submitted is not None:
        out["submitted"] = submitted  # TaskSubmitted's output (a `.sync` task's start)
    return out


def task_failed(error: str | None, cause: str | None, submitted=None) -> dict:
    out = {"type": "TaskResult", "ok": False, "error": error, "cause": cause}
    if submitted is not None:
        out["submitted"] = submitted
    return out


def timer_fired() -> dict:
    return {"type": "Wake"}


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
                                   submitted=inbound.get("submitted"))
    if kind == "Wake":
        return asl_step.Wake()
    raise ValueError(f"unknown inbound {kind!r}")
