"""Small world for the admin tests: machines, executions with hand-written history, clients.

No tests here (like test_live_support.py); the admin test modules import it.
"""
from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from engine.models import Execution, HistoryEvent, StateMachine

PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}
# Stays RUNNING on its durable timer (nothing fires it in these tests): something to stop.
LONG_WAIT = {"StartAt": "Nap", "States": {
    "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
    "Done": {"Type": "Succeed"}}}
XSS = "<script>alert(1)</script>"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def machine(owner, name="greeter", definition=None, type="STANDARD") -> StateMachine:
    found, _ = StateMachine.objects.get_or_create(
        owner=owner, name=name, defaults={"definition": definition or PASS, "type": type})
    return found


def execution(owner, name="run-1", machine_name="greeter", status="SUCCEEDED", events=3,
              error="", start=None, **fields) -> Execution:
    """An execution row with `events` plain history events (no runtime involved)."""
    sm = machine(owner, machine_name)
    start = start or timezone.now() - timedelta(minutes=5)
    ex = Execution.objects.create(
        state_machine=sm, name=name, status=status, input={"who": "world"},
        definition=sm.definition, start_date=start, error=error, seq=events,
        stop_date=None if status == "RUNNING" else start + timedelta(seconds=2), **fields)
    HistoryEvent.objects.bulk_create(
        HistoryEvent(execution=ex, seq=seq, previous_event_id=seq - 1,
                     type="ExecutionStarted" if seq == 1 else "PassStateEntered",
                     timestamp=start + timedelta(milliseconds=seq),
                     details={"stateEnteredEventDetails": {"name": f"Step{seq}",
                                                           "input": "{}"}})
        for seq in range(1, events + 1))
    return ex


ADMIN = "/admin/engine"
