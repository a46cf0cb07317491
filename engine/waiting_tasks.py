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
    sent_at: datetime | None

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
            .order_by("dispatched_at").values_list("request", "dispatched_at")[:SHOWN])
    found = []
    for request, sent_at in rows:
        request = request or {}
        found.append(WaitingTask(state=str(request.get("state") or "?"),
                                 handler=str(request.get("handler") or request.get("resource") or "?"),
                                 queue=str(request.get("queue") or default_queue()),
                                 sent_at=sent_at))
    return found
