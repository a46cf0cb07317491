"""What a frame's next step consumes: stored as JSON (Frame.inbound, TaskToken.answer),
handed to engine.asl.step as its inbound dataclasses (`to_step`)."""
from __future__ import annotations

from engine.asl import step as asl_step


# AWS's limits on a failure's error name and cause (SendTaskFailure): longer ones are cut.
MAX_ERROR_CHARS = 256
MAX_CAUSE_CHARS = 32768
NUL = "\x00"
ESCAPED_NUL = "\\u0000"  # the six characters JSON writes for it


def storable(value):
    """`value` with every NUL character in its strings (keys too) written as JSON writes it,
    the six characters \\u0000: PostgreSQL's text and jsonb cannot hold U+0000, and a
    value the database refuses would fail its step at every attempt. What a handler or a
    caller gives is kept and shown, as AWS's JSON would show it. The same object comes
    back when it holds no NUL (the usual case costs one walk, no copy)."""
    kind = type(value)
    if kind is str:
        return value.replace(NUL, ESCAPED_NUL) if NUL in value else value
    if kind is dict:
        items = [(storable(k), storable(v)) for k, v in value.items()]
        same = all(a is k and b is v for (a, b), (k, v) in zip(items, value.items()))
        return value if same else dict(items)
    if kind is list:
        items = [storable(v) for v in value]
        return items if any(a is not b for a, b in zip(items, value)) else value
    return value


def _text(value, limit: int):
    if value is None:
        return None
    value = storable(str(value))
    return value if len(value) <= limit else value[:limit]


def task_succeeded(output, submitted=None) -> dict:
    out = {"type": "TaskResult", "ok": True, "value": storable(output)}
    if submitted is not None:
        out["submitted"] = storable(submitted)  # TaskSubmitted's output (a `.sync` task's start)
    return out


def task_failed(error: str | None, cause: str | None, submitted=None) -> dict:
    out = {"type": "TaskResult", "ok": False, "error": _text(error, MAX_ERROR_CHARS),
           "cause": _text(cause, MAX_CAUSE_CHARS)}
    if submitted is not None:
        out["submitted"] = storable(submitted)
    return out


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
                                   submitted=inbound.get("submitted"),
                                   worker_name=inbound.get("worker_name"))
    if kind == "Wake":
        return asl_step.Wake()
    raise ValueError(f"unknown inbound {kind!r}")
