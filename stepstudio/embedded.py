"""Run StepStudio's processes together: web server, Celery worker, durable-timer scheduler.

`manage.py serve` is the whole app on one machine (what `make run` starts); `serve --no-web`
is what a worker machine runs. The children are ordinary processes talking through the
configured broker and channel layer (SQLite files in embedded mode, Redis in production),
so a `manage.py` command in another shell reaches the same worker.

The supervisor is deliberately dumb: if any child exits, it stops the others and exits with
that child's code, so a broken worker is noticed instead of leaving a web server that accepts
work nobody runs. Restarting is the job of whatever started us (systemd, docker, a shell).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

logger = logging.getLogger("stepstudio.embedded")

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None


def web_argv(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "stepstudio.asgi:application"]


def worker_argv(queues: list[str] | None = None) -> list[str]:
    """The Celery worker; `queues`: the only queues it consumes (Celery's -Q), e.g. a pool
    for the handlers registered with `queue="media"` (docs/handlers.md)."""
    # A node name of its own: Celery's default, celery@<host>, is the same for every worker
    # of a machine, and on RabbitMQ a worker's remote-control queue (<node>.celery.pidbox)
    # is exclusive, so a second pool on the machine (`serve --no-web --queues media` next to
    # `serve`) would die at start with RESOURCE_LOCKED. This process's id is unique on the
    # host while it supervises; a worker it restarts takes the name back from the dead one.
    argv = [sys.executable, "-m", "celery", "-A", "stepstudio", "worker", "--loglevel=INFO",
            "-n", f"stepstudio-{os.getpid()}@%h"]
    if queues:
        argv += ["-Q", ",".join(queues)]
    return argv


def scheduler_argv() -> list[str] | None:
    """The runtime's durable-timer loop, when the app that provides it is installed."""
    if "workflows" not in get_commands():
        return None
    return [sys.executable, str(MANAGE_PY), "workflows", "scheduler"]


def children(*, host: str, port: int, web: bool = True, worker: bool = True,
             scheduler: bool = True, queues: list[str] | None = None) -> list[Child]:
    result = []
    if web:
        result.append(Child("web", web_argv(host, port)))
    if worker:
        result.append(Child("worker", worker_argv(queues)))
    if scheduler and (argv := scheduler_argv()):
        result.append(Child("scheduler", argv))
    return result


def _die_with_parent():
    # Linux only: if the supervisor is SIGKILLed, its children get SIGTERM instead of
    # living on as orphans that keep the port and the broker busy.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class Supervisor:
    def __init__(self, members: list[Child], grace: float = 10.0):
        self.members = members
        self.grace = grace
        self._stop_signal: int | None = None

    def _on_signal(self, signum, frame):
        self._stop_signal = signum

    @property
    def stopping(self) -> bool:
        return self._stop_signal is not None

    def start(self) -> None:
        for child in self.members:
            logger.info("starting %s: %s", child.name, " ".join(child.argv))
            child.process = subprocess.Popen(child.argv, preexec_fn=_die_with_parent)

    def stop(self) -> None:
        running = [c for c in self.members if c.process and c.process.poll() is None]
        for child in running:
            child.process.terminate()
        deadline = time.monotonic() + self.grace
        for child in running:
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop within %ss; killing it", child.name, self.grace)
                child.process.kill()
                child.process.wait()

    def run(self, on_started=None) -> int:
        """Start everything, wait for a signal or a child's exit, stop everything."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            if on_started:
                on_started(self)
            while self._stop_signal is None:
                for child in self.members:
                    code = child.process.poll()
                    if code is not None:
                        logger.error("%s exited with code %s; stopping the others", child.name, code)
                        return code or 1
                time.sleep(0.2)
            logger.info("received %s; stopping", signal.Signals(self._stop_signal).name)
            return 0
        finally:
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def wait_for_port(host: str, port: int, timeout: float, alive=lambda: True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def prepare_broker() -> None:
    """Embedded broker housekeeping at start-up (see broker.discard_delivered)."""
    if not settings.EMBEDDED:
        return
    from stepstudio.broker import discard_delivered

    removed = discard_delivered(Path(settings.CELERY_BROKER_URL.removeprefix("sqlite:///")))
    if removed:
        logger.info("embedded broker: discarded %d already-delivered messages", removed)
