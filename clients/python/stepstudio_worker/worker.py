"""The activity worker: long-poll GetActivityTask, run the function, heartbeat, answer.

Each activity gets `concurrency` slots; a slot is a thread that polls only while it is free,
so a worker never holds a task it has no room for. While a function runs, one heartbeat
thread sends SendTaskHeartbeat for every task in hand every `heartbeat_every` seconds (set
the activity state's HeartbeatSeconds above it). The function's value goes back with
SendTaskSuccess; an exception with SendTaskFailure, in Lambda's error shape.

Shutdown (SIGTERM, SIGINT, or `stop()`): no new poll starts; tasks in hand get
`grace_seconds` to finish, then are failed with `Worker.Shutdown` so the state machine's
Retry or Catch deals with them at once instead of waiting for a timeout. A poll already
waiting on the server (up to 60 s) is let finish, and a task it brings is failed the same
way: no task is left claimed by a worker that is gone. A second signal fails what is in hand
at once and exits without waiting for polls.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import signal
import socket
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger("stepstudio_worker")

# Step Functions' limits for SendTaskFailure and SendTaskSuccess.
MAX_ERROR = 256
MAX_CAUSE = 32768
MAX_OUTPUT_BYTES = 256 * 1024
SHUTDOWN_ERROR = "Worker.Shutdown"
# The token no longer names a running task: it timed out, was answered, or its execution stopped.
GONE = {"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"}


class TaskFailure(Exception):
    """Raise from an activity function to fail the task with this error name and cause."""

    def __init__(self, error: str, cause: str | None = None):
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class ActivityTask:
    """The task in hand: its token and input, `heartbeat()` and `cancelled`."""

    def __init__(self, worker: "Worker", activity_arn: str, token: str, input_text: str):
        self.worker = worker
        self.activity_arn = activity_arn
        self.token = token
        self.input_text = input_text
        self.received = time.monotonic()
        self.last_beat = self.received
        self._gone = threading.Event()
        self._answered = threading.Lock()
        self.answered = False

    @property
    def input(self):
        return json.loads(self.input_text) if self.input_text else None

    @property
    def cancelled(self) -> bool:
        """True once the task is gone on the server (timed out, execution stopped) or the
        worker gave it up while shutting down: a long function may check it and return."""
        return self._gone.is_set()

    def heartbeat(self) -> bool:
        """Send SendTaskHeartbeat now; False when the task is gone (see `cancelled`)."""
        return self.worker._beat(self)

    def _claim_answer(self) -> bool:
        """Only the first answer is sent (the function's, or a shutdown failure)."""
        with self._answered:
            if self.answered:
                return False
            self.answered = True
            return True


@dataclass
class _Activity:
    name: str
    fn: Callable
    concurrency: int
    wants_task: bool
    arn: str | None = None
    threads: list = field(default_factory=list)


def _positional(fn) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 2
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


def make_client(endpoint_url=None, region_name=None, max_pool_connections=10, **kwargs):
    """A Step Functions client for long polls (AWS: read timeout above the 60 s poll)."""
    import boto3
    from botocore.config import Config

    region = (region_name or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
              or "us-east-1")
    config = Config(read_timeout=70, connect_timeout=10, max_pool_connections=max_pool_connections,
                    retries={"mode": "standard", "max_attempts": 5})
    return boto3.client("stepfunctions", endpoint_url=endpoint_url, region_name=region,
                        config=config, **kwargs)


def error_code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    return response.get("Error", {}).get("Code") if isinstance(response, dict) else None


def failure_of(exc: BaseException) -> tuple[str, str]:
    """(error, cause) for an exception: TaskFailure's own, else Lambda's error object."""
    if isinstance(exc, TaskFailure):
        return exc.error, exc.cause or ""
    frames = traceback.format_tb(exc.__traceback__)
    while True:
        cause = json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__,
                            "stackTrace": frames})
        if len(cause) <= MAX_CAUSE or not frames:
            break
        frames = frames[1:]  # the innermost frames say the most
    return type(exc).__name__, cause[:MAX_CAUSE]


class Worker:
    def __init__(self, endpoint_url: str | None = None, *, region_name: str | None = None,
                 worker_name: str | None = None, concurrency: int = 1,
                 heartbeat_every: float | None = 10.0, grace_seconds: float = 30.0,
                 client=None, **client_kwargs):
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.endpoint_url = endpoint_url
        self.region_name = region_name
        self.client_kwargs = client_kwargs
        self.worker_name = (worker_name or f"{socket.gethostname()}-{os.getpid()}")[:80]
        self.concurrency = concurrency
        self.heartbeat_every = heartbeat_every
        self.grace_seconds = grace_seconds
        self._client = client
        self._activities: list[_Activity] = []
        self._in_hand: set[ActivityTask] = set()
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._stop_now = threading.Event()
        self._polls = 0  # polls waiting on the server

    # -- registering ---------------------------------------------------------------------------
    def activity(self, name_or_arn: str, *, concurrency: int | None = None):
        """Serve the activity (a name: created if missing, as CreateActivity is idempotent;
        or its ARN) with `fn(input)` or `fn(input, task)`, plain or async."""
        def deco(fn):
            self._activities.append(_Activity(name_or_arn, fn, concurrency or self.concurrency,
                                              _positional(fn) >= 2))
            return fn
        return deco

    @property
    def client(self):
        if self._client is None:
            slots = sum(a.concurrency for a in self._activities) or 1
            self._client = make_client(self.endpoint_url, self.region_name,
                                       max_pool_connections=slots + 4, **self.client_kwargs)
        return self._client

    # -- running ---------------------------------------------------------------------------------
    def run(self, *, install_signal_handlers: bool = True) -> None:
        """Serve until stop() or SIGTERM/SIGINT; returns once shut down cleanly."""
        if not self._activities:
            raise RuntimeError("no activities: decorate a function with @worker.activity(name)")
        previous = {}
        if install_signal_handlers and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, self._on_signal)
        try:
            self.start()
            while not self._stopping.wait(0.2):
                pass
            self._shut_down()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def start(self) -> None:
        """Start polling in background threads (run() does this and waits)."""
        for activity in self._activities:
            if activity.arn is None:
                activity.arn = self._resolve(activity.name)
            for slot in range(activity.concurrency):
                thread = threading.Thread(target=self._poll_loop, args=(activity,), daemon=True,
                                          name=f"activity-{activity.name}-{slot}")
                activity.threads.append(thread)
                thread.start()
        if self.heartbeat_every:
            threading.Thread(target=self._heartbeat_loop, daemon=True,
                             name="activity-heartbeats").start()
        log.info("worker %s serving %s", self.worker_name,
                 ", ".join(f"{a.arn} ×{a.concurrency}" for a in self._activities))

    def stop(self, *, now: bool = False) -> None:
        """Ask the worker to shut down (from any thread or a signal handler)."""
        if now:
            self._stop_now.set()
        with self._lock:
            self._stopping.set()
            self._lock.notify_all()

    def _on_signal(self, signum, frame):
        first = not self._stopping.is_set()
        log.warning("%s: %s", signal.Signals(signum).name,
                    "finishing the tasks in hand, then stopping" if first
                    else "failing the tasks in hand and stopping now")
        self.stop(now=not first)

    def _shut_down(self) -> None:
        deadline = time.monotonic() + self.grace_seconds
        with self._lock:
            while self._in_hand and not self._stop_now.is_set() and time.monotonic() < deadline:
                self._lock.wait(min(0.2, max(deadline - time.monotonic(), 0.01)))
            left = list(self._in_hand)
        for task in left:
            self._give_up(task, f"the worker {self.worker_name} stopped before the task finished "
                                f"(grace period {self.grace_seconds:g} s)")
        if self._stop_now.is_set():
            return
        # Polls already waiting on the server may still bring a task: wait for them to come
        # back (a task they bring is failed at once), so none stays claimed by no one. A
        # function still running past the grace period is not waited for: its task was failed.
        with self._lock:
            while self._polls and not self._stop_now.is_set():
                self._lock.wait(0.2)

    # -- polling and running -------------------------------------------------------------------
    def _resolve(self, name: str) -> str:
        if name.startswith("arn:"):
            return name
        return self.client.create_activity(name=name)["activityArn"]

    def _poll_loop(self, activity: _Activity) -> None:
        backoff = 1.0
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                self._polls += 1
            task = None
            try:
                try:
                    answer = self.client.get_activity_task(activityArn=activity.arn,
                                                           workerName=self.worker_name)
                    backoff = 1.0
                except Exception as exc:  # server down, network: keep trying, more slowly
                    log.warning("GetActivityTask %s failed (%s); again in %.0f s", activity.arn,
                                exc, backoff)
                    self._stopping.wait(backoff)
                    backoff = min(backoff * 2, 30.0)
                    continue
                if not answer.get("taskToken"):
                    continue  # the poll ended with no task: poll again
                task = ActivityTask(self, activity.arn, answer["taskToken"],
                                    answer.get("input") or "null")
                if self._stopping.is_set():
                    self._give_up(task, f"the worker {self.worker_name} was stopping when it "
                                        "received the task; it did not start it")
                    task = None
                    continue
                with self._lock:
                    self._in_hand.add(task)  # before the poll counts as done: see _shut_down
            finally:
                with self._lock:
                    self._polls -= 1
                    self._lock.notify_all()
            self._execute(activity, task)

    def _execute(self, activity: _Activity, task: ActivityTask) -> None:
        try:
            try:
                value = activity.fn(task.input, task) if activity.wants_task \
                    else activity.fn(task.input)
                if inspect.isawaitable(value):
                    value = _await(value)
            except Exception as exc:  # noqa: BLE001 - the function's failure is the task's
                log.info("activity %s failed: %s", activity.name, exc)
                self._fail(task, *failure_of(exc))
                return
            self._succeed(activity, task, value)
        finally:
            with self._lock:
                self._in_hand.discard(task)
                self._lock.notify_all()

    def _succeed(self, activity: _Activity, task: ActivityTask, value) -> None:
        try:
            output = json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            self._fail(task, "States.Runtime",
                       f"the activity function {activity.name!r} returned a value that is not "
                       f"JSON: {exc}")
            return
        if len(output.encode("utf-8")) > MAX_OUTPUT_BYTES:
            self._fail(task, "States.DataLimitExceeded",
                       f"the activity function {activity.name!r} returned {len(output)} "
                       f"characters of JSON, over the 256 KiB limit")
            return
        if task._claim_answer():
            self._call(task, "send_task_success", output=output)

    def _fail(self, task: ActivityTask, error: str, cause: str) -> None:
        if task._claim_answer():
            self._call(task, "send_task_failure", error=(error or "")[:MAX_ERROR],
                       cause=(cause or "")[:MAX_CAUSE])

    def _give_up(self, task: ActivityTask, why: str) -> None:
        task._gone.set()
        log.warning("failing task %s…: %s", task.token[:12], why)
        self._fail(task, SHUTDOWN_ERROR, why)

    def _call(self, task: ActivityTask, method: str, **params) -> None:
        try:
            getattr(self.client, method)(taskToken=task.token, **params)
        except Exception as exc:
            if error_code(exc) in GONE:
                task._gone.set()
                log.info("task %s… is gone (timed out or stopped); %s not delivered",
                         task.token[:12], method)
            else:
                log.error("%s for task %s… failed: %s", method, task.token[:12], exc)

    # -- heartbeats ------------------------------------------------------------------------------
    def _beat(self, task: ActivityTask) -> bool:
        if task.cancelled:
            return False
        task.last_beat = time.monotonic()
        try:
            self.client.send_task_heartbeat(taskToken=task.token)
            return True
        except Exception as exc:
            if error_code(exc) in GONE:
                task._gone.set()
                log.info("task %s… is gone (timed out or stopped)", task.token[:12])
                return False
            log.warning("heartbeat for task %s… failed: %s", task.token[:12], exc)
            return True

    def _heartbeat_loop(self) -> None:
        every = float(self.heartbeat_every)
        while not self._stop_now.is_set():
            now = time.monotonic()
            with self._lock:
                due = [t for t in self._in_hand if not t.cancelled and now - t.last_beat >= every]
            for task in due:
                self._beat(task)
            self._stop_now.wait(min(every / 4, 1.0))


def _await(awaitable):
    async def run():
        return await awaitable
    return asyncio.run(run())
