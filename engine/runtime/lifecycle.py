"""Starting, stopping, timing out and redriving executions (transactions on the runtime rows)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from engine.asl import aborts, check_definition, step as asl_step
from engine.asl.errors import InvalidDefinition
from engine.asl.clock import SystemClock
from engine.asl.events import Emitter, Ids, error_details
from engine.events import outbox
from engine.models import (Execution, ExecutionStatus, Frame, FrameStatus, Timer, TimerKind,
                           Waiting)

from . import dispatch, driver, fanout, history, map_runs
from .frames import stored
from .outcomes import close_execution_work, finish


def start(execution: Execution, inline: bool = True) -> None:
    """Inside the caller's transaction: arm the execution timeout and take the first steps."""
    timeout = (execution.definition or {}).get("TimeoutSeconds")
    if timeout:
        Timer.objects.create(execution=execution, kind=TimerKind.EXECUTION_TIMEOUT,
                             due_at=execution.start_date + timezone.timedelta(seconds=timeout))
    outbox.record(execution)  # RUNNING (the finish, if inline, is the step's own event)
    driver.start_root(execution, inline)


def _append(ex: Execution, event_type: str, details: dict) -> None:
    emitter = Emitter(Ids(ex.seq), SystemClock(), prev=ex.seq)
    emitter.emit(event_type, details)
    history.append(ex, emitter.events)
    ex.seq = emitter.ids.value


def _open_work(ex: Execution) -> list[dict]:
    """The execution's running work as one engine.asl.aborts lane: the root and below."""
    root = Frame.objects.filter(execution=ex, parent__isnull=True).first()
    if root is None or root.status != FrameStatus.RUNNING:
        return []
    children = fanout.live_lanes(root) if root.waiting == Waiting.CHILDREN else []
    return [{"cursor": root.cursor, "children": children}]


def _append_aborted(ex: Execution) -> None:
    """The states, branches and iterations a stop cuts short end aborted in the history."""
    emitter = Emitter(Ids(ex.seq), SystemClock())
    aborts.emit_aborted(driver.machine_for(ex), emitter, _open_work(ex))
    if emitter.events:
        history.append(ex, emitter.events)
        ex.seq = emitter.ids.value


def terminate(execution_id, status: str, error: str, cause: str) -> bool:
    """Stop a running execution as ABORTED (StopExecution) or TIMED_OUT; False if not running.

    Nests in the scheduler's transaction, which already holds the row (locking it again is
    a no-op there).
    """
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=execution_id)
        if ex.status != ExecutionStatus.RUNNING or ex.map_run_id:
            # Not running, or a map run's child: its parent's steps run it (and stop it).
            return False
        if status == ExecutionStatus.TIMED_OUT:
            # The evaluator owns the ExecutionTimedOut event (step.timed_out).
            root = Frame.objects.get(execution=ex, parent__isnull=True)
            # The open work is not recorded aborted here (tests/engine/asl/spec: AWS's
            # history goes from the state's entry straight to ExecutionTimedOut).
            step = driver.Step(ex)
            outcome = asl_step.timed_out(dict(root.cursor, ctx=step.ctx), step.ids, step.clock)
            step.events.extend(outcome.events)
            finish(step, root, outcome.cursor, outcome.status, None, None, None)
            ex.error, ex.cause = error or "", cause or ""
            step.commit()
            return True
        _append_aborted(ex)
        _stop(ex, status, "ExecutionAborted", error, cause)
        return True


def fail(execution_id, error: str, cause: str) -> bool:
    """Fail a running execution from outside its steps (ExecutionFailed; False if it is not
    running): a step that cannot be committed at all (failures.py)."""
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=execution_id)
        if ex.status != ExecutionStatus.RUNNING:
            return False
        _stop(ex, ExecutionStatus.FAILED, "ExecutionFailed", error, cause)
        return True


def _stop(ex: Execution, status: str, event_type: str, error: str, cause: str) -> None:
    _append(ex, event_type, error_details(error or None, cause or None))
    ex.status, ex.error, ex.cause = status, error or "", cause or ""
    ex.stop_date = timezone.now()
    ex.save(update_fields=["status", "error", "cause", "stop_date", "seq"])
    # Its map runs still running end ABORTED, and their running child executions.
    map_runs.close_for_execution(ex)
    # Running work is cancelled: timers and tokens closed, frames CANCELLED, so a handler
    # still running in a worker finds its frame gone and its result is dropped.
    close_execution_work(ex)
    outbox.record(ex)
    dispatch.ring_advanced(ex, True)


def _rewind(machine, cursor: dict) -> dict:
    """The root cursor re-entering the state that failed or was running (with its input)."""
    redrive = getattr(asl_step, "redrive", None)
    if redrive is not None:
        return redrive(machine, cursor)
    # Fallback until engine.asl.step offers redrive (requested): the cursor still names the
    # state and holds that state's input; "enter" makes the next advance re-enter it.
    cursor = dict(cursor)
    cursor["phase"] = "enter"
    cursor.pop("pending", None)
    return cursor


def _fans_out(machine, cursor: dict) -> bool:
    """The root cursor re-enters a Map or Parallel state."""
    name = cursor.get("state")
    try:
        return name is not None and machine.state(name).get("Type") in ("Map", "Parallel")
    except Exception:  # noqa: BLE001 - unknown state: nothing to reuse
        return False


class NotRedrivable(Exception):
    pass


def shape(state: dict) -> tuple:
    """What must stay the same for a redrive on a new definition to resume in a state: its
    Type and, inside a Map or Parallel (whose kept iterations and branches are resumed by
    their states' names), the names and shapes of the states within."""
    def states(block) -> tuple:
        inner = (block or {}).get("States") or {}
        return tuple(sorted((name, shape(st)) for name, st in inner.items() if isinstance(st, dict)))
    kind = state.get("Type")
    if kind == "Parallel":
        return (kind, tuple(states(b) for b in state.get("Branches") or []))
    if kind == "Map":
        return (kind, states(state.get("ItemProcessor") or state.get("Iterator")))
    return (kind,)


def check_new_definition(old: dict, new: dict, state_name: str) -> None:
    """Refuse (NotRedrivable) a new definition the failed state cannot resume in."""
    new_state = (new.get("States") or {}).get(state_name)
    if not isinstance(new_state, dict):
        raise NotRedrivable(f"The state '{state_name}' the execution failed in does not exist "
                            f"in the new definition")
    old_state = (old.get("States") or {}).get(state_name) or {}
    if shape(old_state) != shape(new_state):
        raise NotRedrivable(f"The state '{state_name}' the execution failed in changed shape in "
                            f"the new definition (was {old_state.get('Type')}, now "
                            f"{new_state.get('Type')}, or the states inside it differ)")


def redrive(execution_id, definition: dict | None = None, version=None) -> Execution:
    """RedriveExecution: re-enter the state that failed, keeping history and input.

    With `definition` (StepStudio's "Redrive with the new definition"; `version` the
    StateMachineVersion it is, if any): the execution continues on that definition from the
    same state, which must exist there with the same shape (`check_new_definition`); the
    ExecutionRedriven event says so (`definitionUpdated`).

    AWS: "For workflows that include an Inline Map or Parallel state, RedriveExecution ...
    reschedules and redrives only the iterations and branches that failed or aborted." When
    the execution failed / was stopped / timed out inside a Map or Parallel, the children of
    that fan-out were kept (fanout.abandon_children, outcomes.close_execution_work): the
    re-entered state's FanOut reuses the successes and redrives only the others, at every
    nesting level (fanout._adopt). This holds for a DISTRIBUTED Map's iterations too.
    """
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=execution_id)
        if ex.status not in (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT,
                             ExecutionStatus.ABORTED):
            raise NotRedrivable(f"Execution {ex.arn} is {ex.status} and cannot be redriven")
        root = Frame.objects.filter(execution=ex, parent__isnull=True).first()
        machine = driver.machine_for(ex)
        cursor = _rewind(machine, root.cursor)
        details = {}
        if definition is not None:
            if cursor.get("state") is None:
                raise NotRedrivable("The execution failed before entering a state")
            check_new_definition(ex.definition, definition, cursor["state"])
            try:
                machine = check_definition(definition)
            except InvalidDefinition as exc:
                raise NotRedrivable(f"The new definition is not valid: "
                                    f"{exc.diagnostics[0].message if exc.diagnostics else exc}") from None
            ex.definition = definition
            ex.version = version
            details = {"definitionUpdated": True,
                       **({"stateMachineVersionArn": version.arn} if version else {})}
        if not _fans_out(machine, cursor):
            # Kept children are only of use to a Map/Parallel the root re-enters now.
            Frame.objects.filter(execution=ex, parent__isnull=False).delete()
        ex.redrive_count += 1
        ex.redrive_date = timezone.now()
        ex.status, ex.error, ex.cause, ex.stop_date, ex.output = "RUNNING", "", "", None, None
        _append(ex, "ExecutionRedriven", {"redriveCount": ex.redrive_count, **details})
        ex.save(update_fields=["redrive_count", "redrive_date", "status", "error", "cause",
                               "stop_date", "output", "seq",
                               *(("definition", "version") if definition is not None else ())])
        outbox.record(ex)  # RUNNING again, with its redriveCount
        timeout = (ex.definition or {}).get("TimeoutSeconds")
        if timeout:
            Timer.objects.create(execution=ex, kind=TimerKind.EXECUTION_TIMEOUT,
                                 due_at=ex.redrive_date + timezone.timedelta(seconds=timeout))
        root.status = FrameStatus.RUNNING
        step = driver.Step(ex)
        root.cursor = stored(cursor)
        step.run(root, None)
        step.commit()
        root.refresh_from_db()
        return ex
