"""The admin's operations on executions, each one call into engine.services.

Shared by the change list's actions and the change page's buttons. Each function takes an
execution the caller may operate on (access.operable) and returns the execution it touched
or created; refusals are ServiceErrors with AWS's code, as from the API.
"""
from __future__ import annotations

import json
import re

from django.http import StreamingHttpResponse
from django.utils import timezone

from engine import services
from engine.models import Execution, ExecutionStatus, HistoryEvent

# Executions per action: each is its own transaction (and a stop or start may take steps
# inline), so a "select all 100,000" is refused instead of holding the request for minutes.
ACTION_LIMIT = 100
# Events read per query while exporting (bounded memory for a 25,000-event history).
EXPORT_CHUNK = 1000


def stop(execution: Execution, user) -> Execution:
    # The API refuses a stop of a finished execution the same way (execution_not_running);
    # the service itself would silently do nothing.
    if execution.status != ExecutionStatus.RUNNING:
        raise services.ServiceError(f"{execution} is {execution.status}, not RUNNING",
                                    "ExecutionNotRunning")
    return services.stop_execution(execution, error="",
                                   cause=f"Stopped in the admin by {user.get_username()}")


def redrive(execution: Execution, user) -> Execution:
    return services.redrive_execution(execution)


def start_again(execution: Execution, user) -> Execution:
    """A new execution of the same machine (and version, if pinned) with the same input.

    Like the console's "New execution" from an old one: it runs the machine's current
    definition (or the pinned version's), not the old execution's snapshot.
    """
    # As JSON text: services reads a str as JSON text, and the input may be a JSON string.
    return services.start_execution(execution.state_machine, json.dumps(execution.input),
                                    version=execution.version)


OPERATIONS = {"stop": stop, "redrive": redrive, "start_again": start_again}


def history_document(execution: Execution):
    """One execution's export, yielded as JSON text in pieces: its description (as
    DescribeExecution) and `events` (as GetExecutionHistory)."""
    head = services.describe_execution(execution)
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "events": ['
    events = (HistoryEvent.objects.filter(execution=execution).order_by("seq")
              .iterator(chunk_size=EXPORT_CHUNK))
    for index, event in enumerate(events):
        yield ("," if index else "") + json.dumps(event.to_aws(), ensure_ascii=False)
    yield "]}"


def export_response(executions: list[Execution]) -> StreamingHttpResponse:
    """A download: one execution's document, or a JSON array of several."""
    def documents():
        if len(executions) == 1:
            yield from history_document(executions[0])
            return
        yield "["
        for index, execution in enumerate(executions):
            if index:
                yield ","
            yield from history_document(execution)
        yield "]"

    if len(executions) == 1:
        # Names of synchronous executions are not checked against services.NAME_RE: keep
        # the header to safe characters.
        filename = "history-" + re.sub(r"[^A-Za-z0-9_.-]", "_", executions[0].name) + ".json"
    else:
        filename = f"histories-{timezone.now():%Y%m%dT%H%M%SZ}.json"
    response = StreamingHttpResponse((piece.encode() for piece in documents()),
                                     content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
