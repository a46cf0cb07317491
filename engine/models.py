"""Durable state of state machines and their executions.

The database is the source of truth for the runtime (engine/runtime): a Celery message only
says "frame F of execution E may take step N"; everything else is read from these rows.
History is append-only (one row per AWS history event, `seq` = AWS event id) under an
Execution that holds the current status.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from engine.fields import OrderedJSONField
from engine.machines.definition_stats import count_states

REGION = "us-east-1"  # where resources live when no request names a region (REST API, admin)


def partition(region: str) -> str:
    """The ARN partition of a region: China and GovCloud regions have their own."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    if region.startswith("us-iso-"):
        return "aws-iso"
    return "aws"


def states_arn(region: str, owner_id: int, resource: str) -> str:
    return f"arn:{partition(region)}:states:{region}:{account_id(owner_id)}:{resource}"


def account_id(user_id: int) -> str:
    # A stable 12-digit AWS-style account per owner; 1000… keeps it from starting with 0s.
    return f"{100000000000 + int(user_id):012d}"


class MachineType(models.TextChoices):
    STANDARD = "STANDARD"
    EXPRESS = "EXPRESS"


class StateMachine(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="state_machines")
    name = models.CharField(max_length=80)
    type = models.CharField(max_length=8, choices=MachineType.choices,
                            default=MachineType.STANDARD)
    definition = OrderedJSONField()
    # -- definition substitutions (engine.asl.substitutions) --------------------------------
    # The definition's text as its author wrote it when it still holds `${Name}` placeholders
    # (empty otherwise): SAM's bare form (`"Seconds": ${Wait}`) is not JSON, so `definition`
    # holds such a placeholder as the string "${Wait}" and only this text says it is bare.
    definition_text = models.TextField(blank=True, default="")
    # The definition exactly as a client sent it (empty: given as a JSON object, or changed
    # since by substitutions): AWS's DescribeStateMachine answers the caller's own string,
    # whitespace and key order included, not a re-serialisation of the stored JSON.
    definition_sent = models.TextField(blank=True, default="", db_default="")
    description = models.TextField(blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    # -- The app's own fields (AWS has none of them; the AWS protocol never shows them) ----
    # What the Start execution dialog is prefilled with (null: the last execution's input).
    example_input = OrderedJSONField(null=True, blank=True)
    # Test cases, as a Step Functions Local mock config (engine/asl/testcases.py); null: none.
    test_cases = OrderedJSONField(null=True, blank=True)
    # Kept for the home page (engine/machines), which never reads definitions: the number of
    # states (nested ones included), computed in save(), and the newest execution by start
    # date, moved forward after each start commits (engine/machines/rollups.py).
    states_count = models.PositiveIntegerField(default=0)
    last_execution = models.ForeignKey("Execution", null=True, blank=True, editable=False,
                                       on_delete=models.SET_NULL, related_name="+")
    # Its start date, copied: sorting by it needs no join with every machine's execution.
    last_started = models.DateTimeField(null=True, blank=True, editable=False)
    # -- AWS configuration, kept as given (engine/awsproto/configuration.py) ---------------
    # The SigV4 region of the request that created it: its ARNs and its executions' carry it.
    region = models.CharField(max_length=32, default=REGION)
    role_arn = models.CharField(max_length=256, blank=True, default="")
    logging_configuration = OrderedJSONField(null=True, blank=True)
    tracing_configuration = OrderedJSONField(null=True, blank=True)
    encryption_configuration = OrderedJSONField(null=True, blank=True)
    # {key: value}, in the order the tags were first given (TagResource / tags at create).
    tags = OrderedJSONField(default=dict, blank=True)
    # Set by every update of the definition or configuration (AWS's revisionId); empty
    # until the first update, as at AWS (PublishStateMachineVersion calls it "INITIAL").
    revision_id = models.CharField(max_length=36, blank=True, default="")

    class Meta:
        constraints = [
            # State machines are addressed by name within the owner's namespace.
            models.UniqueConstraint(fields=["owner", "name"], name="statemachine_owner_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or "definition" in fields:
            self.states_count = count_states(self.definition)
            if fields is not None:
                kwargs["update_fields"] = [*fields, "states_count"]
        super().save(*args, **kwargs)

    @property
    def arn(self) -> str:
        return states_arn(self.region, self.owner_id, f"stateMachine:{self.name}")

    @property
    def latest_version(self):
        return self.versions.order_by("-version").first()


class VersionImmutable(Exception):
    pass


class StateMachineVersion(models.Model):
    """A published, immutable snapshot of a definition, numbered 1, 2, … per machine."""

    state_machine = models.ForeignKey(StateMachine, on_delete=models.CASCADE,
                                      related_name="versions")
    version = models.PositiveIntegerField()
    description = models.TextField(blank=True, default="")
    definition = OrderedJSONField()
    definition_text = models.TextField(blank=True, default="")  # as StateMachine's
    definition_sent = models.TextField(blank=True, default="", db_default="")  # likewise
    created = models.DateTimeField(default=timezone.now)
    # The machine's configuration and revision when this version was published.
    role_arn = models.CharField(max_length=256, blank=True, default="")
    logging_configuration = OrderedJSONField(null=True, blank=True)
    tracing_configuration = OrderedJSONField(null=True, blank=True)
    encryption_configuration = OrderedJSONField(null=True, blank=True)
    revision_id = models.CharField(max_length=36, blank=True, default="")

    class Meta:
        constraints = [
            # Also serves "versions of a machine by number" and "latest version".
            models.UniqueConstraint(fields=["state_machine", "version"],
                                    name="statemachineversion_number"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise VersionImmutable("state machine versions are immutable")
        super().save(*args, **kwargs)

    @property
    def arn(self) -> str:
        return f"{self.state_machine.arn}:{self.version}"


class StateMachineAlias(models.Model):
    """A name that routes executions to one or two versions by weight (AWS's aliases)."""

    MAX_PER_MACHINE = 100  # AWS's quota of aliases per state machine

    state_machine = models.ForeignKey(StateMachine, on_delete=models.CASCADE,
                                      related_name="aliases")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=256, blank=True, default="")
    # [{"version": n, "weight": 0-100}, …], one or two entries whose weights sum to 100.
    routing = OrderedJSONField(default=list)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "name"], name="statemachinealias_name"),
        ]
        verbose_name_plural = "state machine aliases"

    def __str__(self):
        return f"{self.state_machine.name}:{self.name}"

    @property
    def arn(self) -> str:
        return f"{self.state_machine.arn}:{self.name}"


class ExecutionStatus(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    ABORTED = "ABORTED"


# Statuses RedriveExecution may resume from (AWS: FAILED, ABORTED or TIMED_OUT).
REDRIVABLE = (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED)


class Execution(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state_machine = models.ForeignKey(StateMachine, on_delete=models.CASCADE,
                                      related_name="executions")
    version = models.ForeignKey(StateMachineVersion, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="executions")
    name = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=ExecutionStatus.choices,
                              default=ExecutionStatus.RUNNING)
    input = OrderedJSONField(null=True)
    output = OrderedJSONField(null=True, blank=True)
    error = models.CharField(max_length=256, blank=True, default="")
    cause = models.TextField(blank=True, default="")
    # The definition this execution runs, copied at start: later edits never change it.
    definition = OrderedJSONField()
    start_date = models.DateTimeField(default=timezone.now)
    stop_date = models.DateTimeField(null=True, blank=True)
    redrive_count = models.PositiveIntegerField(default=0)
    redrive_date = models.DateTimeField(null=True, blank=True)
    # Last history event id handed out; the next event gets seq + 1.
    seq = models.PositiveIntegerField(default=0)
    # -- Nested executions (engine.runtime.nested): a child started by a parent's Task ---------
    # (`arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`).
    parent_execution = models.ForeignKey("self", null=True, blank=True, editable=False,
                                         on_delete=models.SET_NULL,
                                         related_name="child_executions")
    # The parent step that started it ("frame:step"): a re-sent Task finds this child again
    # instead of starting a second one.
    parent_call = models.CharField(max_length=40, blank=True, default="", editable=False)
    parent_state = models.CharField(max_length=80, blank=True, default="", editable=False)
    # The integration pattern: "request_response", "sync", "sync:2" or "wait_for_task_token".
    parent_pattern = models.CharField(max_length=24, blank=True, default="", editable=False)
    # `.sync` / `.sync:2`: the parent task's token this child's end answers, and whether that
    # answer was delivered (or is not needed any more).
    parent_token = models.CharField(max_length=128, blank=True, default="", editable=False)
    parent_notified = models.BooleanField(default=False, editable=False)
    # The alias it was started through (its name: the ARN stays true if the alias goes).
    alias_name = models.CharField(max_length=80, blank=True, default="")
    # -- A Distributed Map's iteration (engine.runtime.map_runs): a child workflow execution
    # of this map run, named by a UUID, with its own history; not listed with its machine's
    # executions (AWS lists it under ListExecutions(mapRunArn=…)).
    map_run = models.ForeignKey("MapRun", null=True, blank=True, editable=False,
                                on_delete=models.CASCADE, related_name="child_executions")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "name"], name="execution_name"),
            # One child per parent step (a re-sent Task must not start a second one).
            models.UniqueConstraint(fields=["parent_execution", "parent_call"],
                                    name="execution_parent_call",
                                    condition=~Q(parent_call="")),
        ]
        indexes = [
            # ListExecutions of one machine, optionally by status, newest first.
            models.Index(fields=["state_machine", "status", "-start_date"],
                         name="execution_machine_status"),
            models.Index(fields=["state_machine", "-start_date"], name="execution_machine_date"),
            # The global executions list (staff) filtered by status, newest first.
            models.Index(fields=["status", "-start_date"], name="execution_status_date"),
            # The admin's and the live list's unfiltered executions, newest first
            # (ORDER BY start_date DESC, id DESC), and the date hierarchy's MIN/MAX.
            models.Index(fields=["-start_date", "-id"], name="execution_start_date"),
            # The nested sweep: `.sync` children whose end the parent has not heard yet.
            models.Index(fields=["stop_date"], name="execution_nested_pending",
                         condition=Q(parent_notified=False) & ~Q(parent_token="")),
            # The metrics rollup (engine/metrics): executions stopped in a time window.
            models.Index(fields=["stop_date"], name="execution_stop_date",
                         condition=Q(stop_date__isnull=False)),
        ]

    def __str__(self):
        return f"{self.state_machine.name}/{self.name}"

    @property
    def arn(self) -> str:
        if self.map_run_id:
            return self.map_run.child_arn(self.name)
        sm = self.state_machine
        return states_arn(sm.region, sm.owner_id, f"execution:{sm.name}:{self.name}")

    @property
    def machine_arn(self) -> str:
        """The state machine ARN AWS gives this execution: a map run's children run the
        Map's item processor, a state machine of its own labelled `<machine>/<label>`."""
        if self.map_run_id:
            return self.map_run.labelled_machine_arn
        return self.state_machine.arn

    @property
    def alias_arn(self) -> str:
        return f"{self.state_machine.arn}:{self.alias_name}" if self.alias_name else ""

    @property
    def is_running(self) -> bool:
        return self.status == ExecutionStatus.RUNNING


class MapRunStatus(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    ABORTED = "ABORTED"


class MapRun(models.Model):
    """A DISTRIBUTED Map's run (AWS's Map Run resource): its child workflow executions and
    the settings UpdateMapRun may change while it runs (engine.runtime.map_runs).

    ARN `arn:…:mapRun:<machine>/<label>:<uuid>` (label: the Map's Label, else its name);
    its children are `…:execution:<machine>/<label>:<child uuid>` (Standard) or
    `…:express:<machine>/<label>:<map run uuid>:<child uuid>` (ExecutionType EXPRESS).
    """

    id = models.UUIDField(primary_key=True, editable=False)  # the ARN's last part
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="map_runs")
    # The parent's frame that fans out (its children are the iterations' frames). A plain
    # id, no foreign key: frames are bookkeeping, deleted in bulk (without Django's cascade)
    # when a fan-out joins, and a map run outlives the frame it ran in.
    frame_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    state_name = models.CharField(max_length=80)
    label = models.CharField(max_length=80)
    child_type = models.CharField(max_length=8, choices=MachineType.choices,
                                  default=MachineType.STANDARD)
    status = models.CharField(max_length=10, choices=MapRunStatus.choices,
                              default=MapRunStatus.RUNNING)
    # As given in the definition or by UpdateMapRun; 0 / null: unbounded / not set.
    max_concurrency = models.PositiveIntegerField(default=0)
    tolerated_failure_count = models.BigIntegerField(null=True, blank=True)
    tolerated_failure_percentage = models.FloatField(null=True, blank=True)
    # Items (child executions) of the run: unknown (0) until an ItemReader has read them.
    item_total = models.PositiveIntegerField(default=0)
    results_written = models.PositiveIntegerField(default=0)
    start_date = models.DateTimeField(default=timezone.now)
    stop_date = models.DateTimeField(null=True, blank=True)
    redrive_count = models.PositiveIntegerField(default=0)
    redrive_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # ListMapRuns: the runs of an execution, oldest first.
            models.Index(fields=["execution", "start_date"], name="maprun_execution"),
        ]

    def __str__(self):
        return f"{self.label}:{self.id}"

    def _arn(self, resource: str) -> str:
        sm = self.execution.state_machine
        return states_arn(sm.region, sm.owner_id, f"{resource}:{sm.name}/{self.label}")

    @property
    def arn(self) -> str:
        return f"{self._arn('mapRun')}:{self.id}"

    @property
    def labelled_machine_arn(self) -> str:
        return self._arn("stateMachine")

    def child_arn(self, name: str) -> str:
        if self.child_type == MachineType.EXPRESS:
            return f"{self._arn('express')}:{self.id}:{name}"
        return f"{self._arn('execution')}:{name}"


class Waiting(models.TextChoices):
    """What a frame needs before its next step (what the sweeper may re-dispatch)."""

    ADVANCE = "ADVANCE"      # an advance message is due (dispatchable)
    TASK = "TASK"            # a task handler must run (dispatchable)
    TIMER = "TIMER"          # a Timer row will wake it
    CALLBACK = "CALLBACK"    # a task token (waitForTaskToken) or an activity worker
    CHILDREN = "CHILDREN"    # Parallel/Map children must all finish
    NOTHING = "NOTHING"      # finished or cancelled


class FrameStatus(models.TextChoices):
    PENDING = "PENDING"      # a Map child not started yet (MaxConcurrency)
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class Frame(models.Model):
    """One evaluator cursor: the execution's root, or a Parallel branch / Map iteration.

    `step` counts the frame's committed steps; a message for step N is a no-op once the
    frame has moved past N (the conditional update that makes redelivery harmless).
    """

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="frames")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    index = models.PositiveIntegerField(default=0)  # branch / item index under the parent
    status = models.CharField(max_length=10, choices=FrameStatus.choices,
                              default=FrameStatus.RUNNING)
    cursor = OrderedJSONField(null=True)
    step = models.PositiveIntegerField(default=0)
    waiting = models.CharField(max_length=8, choices=Waiting.choices, default=Waiting.ADVANCE)
    request = OrderedJSONField(null=True, blank=True)   # the InvokeTask request when TASK
    inbound = OrderedJSONField(null=True, blank=True)   # what the next step consumes
    # A worker running this frame's task holds it until then; expired means it died.
    lease_until = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Fan-out bookkeeping (for frames waiting on CHILDREN).
    children_total = models.PositiveIntegerField(default=0)
    children_done = models.PositiveIntegerField(default=0)
    children_started = models.PositiveIntegerField(default=0)
    max_concurrency = models.PositiveIntegerField(default=0)
    # DISTRIBUTED Map iterations are child executions in AWS: their events stay out of ours
    # and go to that child execution's history (engine.runtime.map_runs.child_id).
    separate_history = models.BooleanField(default=False)
    # A child's result, collected by the join.
    output = OrderedJSONField(null=True, blank=True)
    error = models.CharField(max_length=256, blank=True, default="")
    cause = models.TextField(blank=True, default="")
    # Celery task id of the last message that ran this frame (which worker did what).
    task_id = models.CharField(max_length=64, blank=True, default="")
    # A step that failed for a reason other than the database's availability: at which
    # step number, how many times. Past STEPSTUDIO_STEP_ATTEMPTS the execution fails with
    # States.Runtime instead of being retried forever (engine/runtime/failures.py).
    failed_step = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "index"], name="frame_child_index"),
        ]
        indexes = [
            # The sweeper: running frames whose next step is dispatchable, oldest dispatch first.
            models.Index(fields=["waiting", "dispatched_at"], name="frame_dispatchable",
                         condition=Q(status="RUNNING", waiting__in=["ADVANCE", "TASK"])),
            # The join: children of a parent in index order, and the next PENDING ones.
            models.Index(fields=["parent", "status", "index"], name="frame_children"),
        ]


class HistoryEvent(models.Model):
    """One AWS history event; append-only (never updated, never deleted on its own)."""

    # No index of its own: the (execution, seq) one below serves every lookup by execution,
    # in seq order, and a second index on the most-written table was upkeep on every event.
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="events",
                                  db_index=False)
    seq = models.PositiveIntegerField()  # the AWS event id: 1, 2, … with no gap
    previous_event_id = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=64)
    timestamp = models.DateTimeField(default=timezone.now)
    details = OrderedJSONField(default=dict)
    # What the metrics rollup reads of the details, written with the row (engine.runtime.
    # history) so it never parses the JSON: a StateEntered's state name, a Failed or
    # TimedOut event's error. NULL on rows written some other way (seeders, rows from
    # before 0014): the rollup then reads the details instead.
    state_name = models.TextField(null=True, blank=True)
    error = models.TextField(null=True, blank=True)

    class Meta:
        constraints = [
            # Its index serves GetExecutionHistory: events of an execution after seq N, in order.
            models.UniqueConstraint(fields=["execution", "seq"], name="historyevent_seq"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("history events are append-only")
        super().save(*args, **kwargs)

    def to_aws(self) -> dict:
        out = {"timestamp": self.timestamp.isoformat(), "type": self.type, "id": self.seq,
               "previousEventId": self.previous_event_id}
        out.update(self.details or {})
        return out


class TimerKind(models.TextChoices):
    WAKE = "WAKE"                            # Wait state, Retry backoff: advance the frame
    EXECUTION_TIMEOUT = "EXECUTION_TIMEOUT"  # TimeoutSeconds of the machine
    TASK_TIMEOUT = "TASK_TIMEOUT"            # TimeoutSeconds of a callback/activity task
    HEARTBEAT = "HEARTBEAT"                  # HeartbeatSeconds of a callback/activity task


class Timer(models.Model):
    """A durable "wake me at T": fired by the scheduler, never by a sleeping worker."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="timers")
    frame = models.ForeignKey(Frame, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="timers")
    kind = models.CharField(max_length=20, choices=TimerKind.choices)
    due_at = models.DateTimeField()
    frame_step = models.PositiveIntegerField(default=0)  # fires only if the frame is still there
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The scheduler: unclaimed timers that are due, earliest first.
            models.Index(fields=["due_at"], name="timer_due",
                         condition=Q(claimed_at__isnull=True)),
        ]


class Activity(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="activities")
    name = models.CharField(max_length=80)
    created = models.DateTimeField(default=timezone.now)
    region = models.CharField(max_length=32, default=REGION)  # as StateMachine.region
    encryption_configuration = OrderedJSONField(null=True, blank=True)
    tags = OrderedJSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="activity_owner_name"),
        ]
        verbose_name_plural = "activities"

    @property
    def arn(self) -> str:
        return states_arn(self.region, self.owner_id, f"activity:{self.name}")


class TokenStatus(models.TextChoices):
    SCHEDULED = "SCHEDULED"  # waiting for a callback, or for an activity worker to poll
    STARTED = "STARTED"      # an activity worker took it (GetActivityTask)
    CLOSED = "CLOSED"        # answered, timed out or cancelled


class TaskToken(models.Model):
    """A task waiting on the outside world: `.waitForTaskToken` callbacks and activity tasks."""

    token = models.CharField(max_length=128, primary_key=True)
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="tokens")
    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="tokens")
    frame_step = models.PositiveIntegerField()
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="tasks")
    input = OrderedJSONField(null=True, blank=True)   # what an activity worker receives
    status = models.CharField(max_length=10, choices=TokenStatus.choices,
                              default=TokenStatus.SCHEDULED)
    worker_name = models.CharField(max_length=80, blank=True, default="")
    heartbeat_seconds = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The callback's inbound, kept when it arrives before the handler that sent the token
    # returned (the frame then is still in TASK and picks it up in await_callback).
    answer = OrderedJSONField(null=True, blank=True)

    class Meta:
        indexes = [
            # GetActivityTask: the oldest scheduled task of an activity.
            models.Index(fields=["activity", "created"], name="token_activity_queue",
                         condition=Q(status="SCHEDULED", activity__isnull=False)),
        ]


# -- Schedules and status-change events (engine/schedules, engine/events) -----------------
from engine.schedules.models import FiringOutcome, Schedule, ScheduleFiring  # noqa: E402,F401
from engine.events.models import (AttemptOutcome, DeliveryStatus, StatusEvent,  # noqa: E402,F401
                                  Webhook, WebhookAttempt, WebhookDelivery)
from engine.metrics.models import (ExecutionBucket, Granularity, MetricTotal,  # noqa: E402,F401
                                   RollupState, RuntimeCounter, StateBucket)
