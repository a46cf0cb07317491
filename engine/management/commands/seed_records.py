"""Seed many executions and history events, for the admin benchmark (bench/admin.py).

    manage.py seed_records --executions 100000 --events 1000000 [--machines 20]

Rows belong to state machines `seed-00`, `seed-01`, … of a user `seed` (created, without a
usable password); running it again adds more. Events are spread evenly over the new
executions (ExecutionStarted, Pass states entered/exited, then the end event matching
the status); statuses are mixed (70 % SUCCEEDED, 15 % FAILED, 5 % each TIMED_OUT, ABORTED,
RUNNING) and start dates spread over the last two years.

On PostgreSQL each chunk of executions and their events is one INSERT … SELECT over
generate_series, computed in the server (about 10x faster than bulk_create); elsewhere
bulk_create in batches. These rows are for reading only: RUNNING ones have no frames, and
operations on them (stop, redrive) are not meant to work.
"""
from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from engine.models import Execution, HistoryEvent, StateMachine
from engine.runtime import history

DEFINITION = {"StartAt": "Step1", "States": {
    "Step1": {"Type": "Pass", "Next": "Step2"},
    "Step2": {"Type": "Pass", "End": True}}}
# Executions per statement (PostgreSQL) or per bulk_create batch (elsewhere).
PG_CHUNK = 10_000
ORM_CHUNK = 2_000
SPREAD_DAYS = 730
# (status, share in 20ths): the PostgreSQL SQL below encodes the same table.
STATUSES = [("SUCCEEDED", 14), ("FAILED", 3), ("TIMED_OUT", 1), ("ABORTED", 1),
            ("RUNNING", 1)]
END_EVENT = {"SUCCEEDED": "ExecutionSucceeded", "FAILED": "ExecutionFailed",
             "TIMED_OUT": "ExecutionTimedOut", "ABORTED": "ExecutionAborted"}


def status_of(n: int) -> str:
    slot = n % 20
    for status, share in STATUSES:
        if slot < share:
            return status
        slot -= share
    raise AssertionError("shares add up to 20")


class Command(BaseCommand):
    help = "Seed executions and history events for benchmarks (see bench/admin.py)."

    def add_arguments(self, parser):
        parser.add_argument("--executions", type=int, required=True)
        parser.add_argument("--events", type=int, required=True,
                            help="history events in all, spread evenly over the executions")
        parser.add_argument("--machines", type=int, default=20)

    def handle(self, *args, executions: int, events: int, machines: int, **options):
        if executions < 1 or events < 0 or machines < 1:
            raise CommandError("--executions and --machines must be positive, --events >= 0")
        started = time.monotonic()
        machine_ids = self._machines(machines)
        per, extra = divmod(events, executions)
        seed = Execution.objects.filter(state_machine__owner__username="seed").count()
        # n numbers this run's executions after the existing ones, so reruns add rows.
        first, last = seed, seed + executions
        for low in range(first, last, PG_CHUNK if connection.vendor == "postgresql" else ORM_CHUNK):
            high = min(low + (PG_CHUNK if connection.vendor == "postgresql" else ORM_CHUNK), last)
            # The first `extra` executions of this run get one event more.
            if connection.vendor == "postgresql":
                self._pg_chunk(machine_ids, low, high, first, per, extra)
            else:
                self._orm_chunk(machine_ids, low, high, first, per, extra)
            self.stdout.write(f"  {high - first}/{executions} executions")
        if connection.vendor == "postgresql":
            # Fresh planner statistics: the admin's unfiltered counts read reltuples.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE engine_execution")
                cursor.execute("ANALYZE engine_historyevent")
        self.stdout.write(f"seeded {executions} executions and {events} events "
                          f"in {time.monotonic() - started:.1f} s")

    def _machines(self, count: int) -> list[int]:
        owner, created = get_user_model().objects.get_or_create(username="seed")
        if created:
            owner.set_unusable_password()
            owner.save(update_fields=["password"])
        ids = []
        for index in range(count):
            machine, _ = StateMachine.objects.get_or_create(
                owner=owner, name=f"seed-{index:02d}",
                defaults={"definition": DEFINITION,
                          "type": "EXPRESS" if index % 5 == 4 else "STANDARD"})
            ids.append(machine.pk)
        return ids

    def _pg_chunk(self, machine_ids, low, high, first, per, extra):
        # One statement: the executions, then their events from the RETURNING rows.
        sql = """
        WITH g AS (
            SELECT n, gen_random_uuid() AS id,
                   now() - random() * make_interval(days => %(days)s) AS start_date,
                   CASE WHEN n %% 20 < 14 THEN 'SUCCEEDED' WHEN n %% 20 < 17 THEN 'FAILED'
                        WHEN n %% 20 = 17 THEN 'TIMED_OUT' WHEN n %% 20 = 18 THEN 'ABORTED'
                        ELSE 'RUNNING' END AS status
            FROM generate_series(%(low)s, %(high)s - 1) AS n
        ), ins AS (
            INSERT INTO engine_execution (id, state_machine_id, name, status, input, output,
                error, cause, definition, start_date, stop_date, redrive_count, seq,
                parent_call, parent_state, parent_pattern, parent_token, parent_notified,
                alias_name)
            SELECT id, (%(machines)s::bigint[])[1 + n %% %(count)s], id::text, status,
                   jsonb_build_object('seed', n),
                   CASE WHEN status = 'SUCCEEDED' THEN jsonb_build_object('ok', n) END,
                   CASE WHEN status = 'FAILED' THEN 'Seed.Error' || (n %% 7)
                        WHEN status = 'TIMED_OUT' THEN 'States.Timeout' ELSE '' END,
                   CASE WHEN status = 'FAILED' THEN 'seeded failure' ELSE '' END,
                   %(definition)s::jsonb, start_date,
                   CASE WHEN status <> 'RUNNING' THEN start_date + interval '2 seconds' END,
                   0, %(per)s + CASE WHEN n - %(first)s < %(extra)s THEN 1 ELSE 0 END,
                   '', '', '', '', false, ''
            FROM g
            RETURNING id, status, start_date, seq, error
        )
        INSERT INTO engine_historyevent (execution_id, seq, previous_event_id, type,
                                         timestamp, state_name, error, details)
        SELECT ins.id, s, s - 1, t.type, ins.start_date + s * interval '10 milliseconds',
               CASE WHEN t.type LIKE '%%StateEntered' THEN 'Step' || (s / 2) END,
               CASE WHEN t.type = 'ExecutionFailed' THEN ins.error END,
               CASE WHEN t.type LIKE '%%StateEntered'
                        THEN jsonb_build_object('stateEnteredEventDetails',
                             jsonb_build_object('name', 'Step' || (s / 2), 'input', '{}'))
                    WHEN t.type LIKE '%%StateExited'
                        THEN jsonb_build_object('stateExitedEventDetails',
                             jsonb_build_object('name', 'Step' || (s / 2), 'output', '{}'))
                    WHEN t.type = 'ExecutionFailed'
                        THEN jsonb_build_object('executionFailedEventDetails',
                             jsonb_build_object('error', ins.error, 'cause', 'seeded failure'))
                    ELSE '{}'::jsonb END
        FROM ins
        CROSS JOIN LATERAL generate_series(1, ins.seq) AS s
        CROSS JOIN LATERAL (SELECT CASE
            WHEN s = 1 THEN 'ExecutionStarted'
            WHEN s = ins.seq AND ins.status <> 'RUNNING' THEN CASE ins.status
                WHEN 'SUCCEEDED' THEN 'ExecutionSucceeded' WHEN 'FAILED' THEN 'ExecutionFailed'
                WHEN 'TIMED_OUT' THEN 'ExecutionTimedOut' ELSE 'ExecutionAborted' END
            WHEN s %% 2 = 0 THEN 'PassStateEntered'
            ELSE 'PassStateExited' END AS type) AS t
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {"days": SPREAD_DAYS, "low": low, "high": high,
                                 "machines": machine_ids, "count": len(machine_ids),
                                 "definition": json.dumps(DEFINITION), "per": per,
                                 "first": first, "extra": extra})

    def _orm_chunk(self, machine_ids, low, high, first, per, extra):
        now = timezone.now()
        rows, events = [], []
        for n in range(low, high):
            status = status_of(n)
            # Deterministic spread (no random module): n-th execution, every ~minutes back.
            start = now - timedelta(minutes=(n * 7919) % (SPREAD_DAYS * 24 * 60))
            count = per + (1 if n - first < extra else 0)
            ex = Execution(
                id=uuid.uuid4(), state_machine_id=machine_ids[n % len(machine_ids)],
                status=status, input={"seed": n},
                output={"ok": n} if status == "SUCCEEDED" else None,
                error={"FAILED": f"Seed.Error{n % 7}", "TIMED_OUT": "States.Timeout"}.get(status, ""),
                cause="seeded failure" if status == "FAILED" else "",
                definition=DEFINITION, start_date=start,
                stop_date=None if status == "RUNNING" else start + timedelta(seconds=2), seq=count)
            ex.name = str(ex.id)
            rows.append(ex)
            for s in range(1, count + 1):
                events.append(self._event(ex, s, count))
        with transaction.atomic():
            Execution.objects.bulk_create(rows)
            HistoryEvent.objects.bulk_create(events, batch_size=ORM_CHUNK)

    @staticmethod
    def _event(ex: Execution, s: int, count: int) -> HistoryEvent:
        if s == 1:
            kind, details = "ExecutionStarted", {}
        elif s == count and ex.status != "RUNNING":
            kind = END_EVENT[ex.status]
            details = ({"executionFailedEventDetails": {"error": ex.error,
                                                        "cause": "seeded failure"}}
                       if ex.status == "FAILED" else {})
        elif s % 2 == 0:
            kind = "PassStateEntered"
            details = {"stateEnteredEventDetails": {"name": f"Step{s // 2}", "input": "{}"}}
        else:
            kind = "PassStateExited"
            details = {"stateExitedEventDetails": {"name": f"Step{s // 2}", "output": "{}"}}
        state_name, error = history.labels(kind, details)
        return HistoryEvent(execution=ex, seq=s, previous_event_id=s - 1, type=kind,
                            timestamp=ex.start_date + timedelta(milliseconds=10 * s),
                            details=details, state_name=state_name, error=error)
