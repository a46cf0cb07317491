"""Tasks scheduled but not taken by any worker: what the admin and the live view show.

A Task's handler runs on a worker consuming the handler's queue (docs/handlers.md). Until one
takes it, its frame waits on TASK with no lease; if no worker consumes that queue it stays so
(scheduled, not failed), and these pages say which Task waits on which queue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from engine.models import Frame, FrameStatus, Waiting

SHOWN = 20


@dataclass(frozen=True)
class WaitingTask:
    state: str
    handler: str
    queue: str
    since: datetime | None   # when the step reached the Task

    @property
    def worker_command(self) -> str:
        return f"celery -A stepstudio worker -Q {self.queue}"


def default_queue() -> str:
    return (getattr(settings, "STEPSTUDIO_QUEUE", None) or
            getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery")


def waiting_tasks(execution) -> list[WaitingTask]:
    """The execution's Tasks waiting for a worker (at most SHOWN), oldest first."""
    if not execution.is_running:
        return []
    now = timezone.now()
    rows = (Frame.objects.filter(execution=execution, status=FrameStatus.RUNNING,
                                 waiting=Waiting.TASK)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("id").values_list("request", flat=True)[:SHOWN])
    found = []
    for request in rows:
        request = request or {}
        found.append(WaitingTask(state=str(request.get("state") or "?"),
                                 handler=str(request.get("handler") or request.get("resource") or "?"),
                                 queue=str(request.get("queue") or default_queue()),
                                 since=_parse(request.get("scheduled_at"))))
    return found


def _parse(text) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
