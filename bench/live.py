"""Live view latency and throughput: from an event's COMMIT to its receipt by websocket clients.

    .venv/bin/python bench/live.py [--clients 1,50] [--events 200] [--rate 20]
                                   [--follow 2000] [--replay 25000]

The whole path is real: a separate "worker" process appends HistoryEvents one transaction at
a time and rings the doorbell after COMMIT (engine.runtime.dispatch.ring_advanced, as the
runtime does); daphne serves stepstudio.asgi in another process; the clients are real
websocket connections (autobahn, which daphne already depends on) with a session cookie.

Layer and database come from the environment like the app: REDIS_URL → channels-redis (then
set DATABASE_URL to PostgreSQL); without it, embedded mode (SQLite database and SQLite channel
layer in a scratch VAR_DIR). Prints:

  latency, N clients: p50 / p99 / max ms over all (client, event) pairs, COMMIT → receipt
  follow: events/s one page keeps up with, one event per transaction, as fast as committed
  replay: events/s of a reconnecting page catching up on a long history (after=0)

Clocks: the committer and the clients run on the same machine and compare time.time().

Figures (2026-11-24, the team's shared 2-core machine; load average from `uptime` before
each run; defaults: 200 events at 20/s, 2,000 followed, 25,000 replayed):

  before (one read and one JSON encoding per socket per bell through Django's sync thread,
  a new PostgreSQL connection per read, every socket in the doorbell group):
  channels-redis + PostgreSQL   load 0.5: 1 client p50 8.6 / p99 12.8 ms; 50 clients p50 17.5
                                / p99 75.4 ms (at load 1-2: p99 89-115 ms)
  embedded (SQLite layer + DB)  load 5-7: 1 client p99 183-278 ms; 50 clients p50 130-810 ms

  after (engine.live.hub: one feed per execution per process; stepstudio.layers: one poller
  per process; stepstudio.asgi: start-up heap frozen):
  channels-redis + PostgreSQL   load 0.7-0.9: 1 client p50 5.3 / p99 12.2 ms; 50 clients
                                p50 6.8 / p99 12.6 ms; follow 314/s (= the committer);
                                replay 29,000/s
  embedded (SQLite layer + DB)  load 0.7-0.9: 1 client p50 5.7 / p99 9.9 ms; 50 clients
                                p50 8.7 / p99 14.7 ms; follow 977/s; replay 27,000/s
  (earlier, under load from other suites)
  channels-redis + PostgreSQL   load 1.9-2.8: 1 client p50 4.6-6.8 / p99 7.4-20.9 ms;
                                50 clients p50 8.8-10.1 / p99 15.7-33.4 ms; follow 210/s (= the committer); replay 27,000/s
  embedded (SQLite layer + DB)  load 2.2-2.8: 1 client p50 6.5-6.9 / p99 16.8-23.7 ms;
                                50 clients p50 8.4-10.0 / p99 13.8-19.9 ms; follow 1,040/s
                                (= the committer); replay 28,000/s

Where the time went (traced per event, 50 clients, channels-redis): a gen-2 garbage collection
in daphne every ~2.5 s walking the ~140,000 start-up objects (60-220 ms stalls: the p99);
a new PostgreSQL connection per read (8 of the 13 ms of a 1-client event; 2 ms kept open);
50 bells per step through channels-redis' one-message-at-a-time receive (bells queued up to
60 ms behind under load). Embedded mode also paid an fsync per bell and per claim
(synchronous=FULL on the layer's file) and 50 pollers. The max (~50-60 ms) is the first event
of a run: the committer's first bell opens its Redis connection.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

if not os.environ.get("REDIS_URL"):
    # Embedded mode in a scratch directory: never the developer's var/.
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="stepstudio-bench-live-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")

# redis-py 8 reads with a 5 s socket timeout by default, the same as channels-redis' 5 s
# BZPOPMIN, so a consumer idle for 5 s dies with "Timeout reading from …" (redis/redis-py#4091).
# Until stepstudio/settings.py passes a longer socket_timeout (requested), the bench runs
# on a settings shim that does, in this process and in daphne and the committer.
SHIM = """
from stepstudio.settings import *  # noqa: F401,F403
if REDIS_URL:
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [{"address": REDIS_URL, "socket_timeout": 30}]
"""
if os.environ.get("REDIS_URL") and os.environ["DJANGO_SETTINGS_MODULE"] == "stepstudio.settings":
    shim_dir = Path(tempfile.mkdtemp(prefix="stepstudio-bench-settings-"))
    (shim_dir / "bench_live_settings.py").write_text(SHIM)
    sys.path.insert(0, str(shim_dir))
    os.environ["PYTHONPATH"] = os.pathsep.join([str(shim_dir), str(REPO)])
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_live_settings"

PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}


def setup_django():
    import django

    django.setup()


# --- the "worker": appends events and rings after commit -------------------------------

def commit_events(execution_id: str, count: int, rate: float) -> list[tuple[int, float]]:
    from django.db import transaction

    from engine.models import Execution, HistoryEvent
    from engine.runtime.dispatch import ring_advanced

    stamps: list[tuple[int, float]] = []
    interval = 1.0 / rate if rate > 0 else 0.0
    next_at = time.perf_counter()
    for _ in range(count):
        if interval:
            delay = next_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            next_at += interval
        with transaction.atomic():
            ex = Execution.objects.select_for_update().get(id=execution_id)
            ex.seq += 1
            HistoryEvent.objects.create(execution=ex, seq=ex.seq, previous_event_id=ex.seq - 1,
                                        type="PassStateEntered",
                                        details={"stateEnteredEventDetails": {"name": "Hello"}})
            Execution.objects.filter(id=ex.id).update(seq=ex.seq)
            seq = ex.seq
            # Registered before the bell, so it runs first: the moment COMMIT returned.
            transaction.on_commit(lambda seq=seq: stamps.append((seq, time.time())))
            ring_advanced(ex, False)  # the runtime's own doorbell
    return stamps


def committer_main(argv):
    setup_django()
    execution_id, count, rate = argv[0], int(argv[1]), float(argv[2])
    stamps = commit_events(execution_id, count, rate)
    # The runtime rings fire-and-forget from a daemon thread (engine/runtime/dispatch.py):
    # a worker lives on, this stand-in must too, or its last bells die with it.
    time.sleep(1.0)
    print(json.dumps(stamps))


# --- the clients ----------------------------------------------------------------------

async def ws_connect(url: str, headers: dict):
    """A minimal websocket client (RFC 6455, receive side only) on asyncio streams.

    Why not a library: none is installed, and autobahn (daphne's) is bound to Twisted once
    Django has imported daphne. The server sends unmasked, unfragmented text frames.
    """
    import base64
    import secrets
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    lines = [f"GET {parts.path}?{parts.query} HTTP/1.1", f"Host: {parts.netloc}",
             "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
             "Sec-WebSocket-Version: 13"] + [f"{k}: {v}" for k, v in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readuntil(b"\r\n\r\n")
    if not status.startswith(b"HTTP/1.1 101"):
        raise SystemExit(f"websocket refused: {status[:80]!r}")
    return reader, writer


async def ws_messages(reader):
    while True:
        head = await reader.readexactly(2)
        opcode, length = head[0] & 0x0F, head[1] & 0x7F
        if length == 126:
            length = int.from_bytes(await reader.readexactly(2), "big")
        elif length == 127:
            length = int.from_bytes(await reader.readexactly(8), "big")
        payload = await reader.readexactly(length)
        if opcode == 0x8:  # close
            return
        if opcode == 0x1:
            yield payload


class Clients:
    """N websocket connections recording when each history event arrived."""

    def __init__(self, url: str, headers: dict):
        self.url, self.headers = url, headers
        self.received: list[dict[int, float]] = []
        self.status_at: list[dict[int, float]] = []
        self.ready: list[asyncio.Event] = []
        self.tasks: list[asyncio.Task] = []
        self.writers = []

    async def _listen(self, i: int, reader) -> None:
        try:
            await self._read(i, reader)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # closed at the end of a phase

    async def _read(self, i: int, reader) -> None:
        async for payload in ws_messages(reader):
            now = time.time()
            message = json.loads(payload)
            if message["type"] == "execution.status":
                self.status_at[i][message["seq"]] = now
                self.ready[i].set()
            else:
                self.received[i].setdefault(message["seq"], now)

    async def open(self, n: int) -> None:
        for i in range(n):
            self.received.append({})
            self.status_at.append({})
            self.ready.append(asyncio.Event())
            reader, writer = await ws_connect(self.url, self.headers)
            self.writers.append(writer)
            self.tasks.append(asyncio.create_task(self._listen(i, reader)))
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in self.ready)), 120)

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for writer in self.writers:
            writer.close()


# --- setup ----------------------------------------------------------------------------

def make_world():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from engine.models import StateMachine

    call_command("migrate", verbosity=0)
    User = get_user_model()
    user = User.objects.create_user(f"bench-{time.time_ns()}", password="x")
    machine = StateMachine.objects.create(owner=user, name=f"bench-live-{time.time_ns()}",
                                          definition=PASS)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return user, machine, cookie


def new_execution(machine, events: int = 0):
    from engine.models import Execution, HistoryEvent

    ex = Execution.objects.create(state_machine=machine, name=f"e{time.time_ns()}",
                                  input={}, definition=PASS)
    if events:
        HistoryEvent.objects.bulk_create(
            [HistoryEvent(execution=ex, seq=i, previous_event_id=i - 1, type="PassStateEntered",
                          details={"stateEnteredEventDetails": {"name": "Hello", "input": "{}"}})
             for i in range(1, events + 1)], batch_size=2000)
        Execution.objects.filter(id=ex.id).update(seq=events)
        ex.seq = events
    return ex


def start_daphne(port: int) -> subprocess.Popen:
    from stepstudio.embedded import wait_for_port

    proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                             "stepstudio.asgi:application"], cwd=REPO, env=os.environ.copy(),
                            stdout=subprocess.DEVNULL, stderr=open(Path(tempfile.gettempdir()) / "bench-live-daphne.log", "w"))
    if not wait_for_port("127.0.0.1", port, 60, alive=lambda: proc.poll() is None):
        raise SystemExit("daphne did not start")
    return proc


def run_committer(execution_id, count: int, rate: float) -> list[tuple[int, float]]:
    done = subprocess.run([sys.executable, __file__, "--commit", str(execution_id), str(count),
                           str(rate)], cwd=REPO, env=os.environ.copy(), capture_output=True,
                          text=True, timeout=600)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return [tuple(x) for x in json.loads(done.stdout.strip().splitlines()[-1])]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def wait_for(clients: Clients, last_seq: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(last_seq in r for r in clients.received):
            return
        await asyncio.sleep(0.05)
    missing = sum(last_seq not in r for r in clients.received)
    got = sorted(len(r) for r in clients.received)
    raise SystemExit(f"{missing} clients never received event {last_seq} (events received: {got[:3]}…{got[-3:]})")


async def latency(base, headers, machine, n: int, events: int, rate: float
                  ) -> tuple[list[float], int]:
    ex = await asyncio.to_thread(new_execution, machine)
    clients = Clients(f"{base}/ws/executions/{ex.id}/?after=0", headers)
    await clients.open(n)
    stamps = await asyncio.to_thread(run_committer, ex.id, events, rate)
    await wait_for(clients, stamps[-1][0])
    clients.close()
    out, worst = [], (0.0, 0)
    for received in clients.received:
        assert sorted(received) == [s for s, _ in stamps], "a client missed or reordered events"
        out.extend((received[seq] - at) * 1000 for seq, at in stamps)
        worst = max(worst, *(((received[seq] - at) * 1000, seq) for seq, at in stamps))
    return out, worst[1]


async def follow(base, headers, machine, events: int) -> tuple[float, float]:
    ex = await asyncio.to_thread(new_execution, machine)
    clients = Clients(f"{base}/ws/executions/{ex.id}/?after=0", headers)
    await clients.open(1)
    stamps = await asyncio.to_thread(run_committer, ex.id, events, 0)
    await wait_for(clients, stamps[-1][0])
    clients.close()
    last = clients.received[0][stamps[-1][0]]
    return events / (last - stamps[0][1]), events / (stamps[-1][1] - stamps[0][1])


async def replay(base, headers, machine, events: int) -> float:
    ex = await asyncio.to_thread(new_execution, machine, events)
    clients = Clients(f"{base}/ws/executions/{ex.id}/?after=0", headers)
    started = time.time()
    await clients.open(1)  # returns once the status message (sent after the replay) arrived
    clients.close()
    done = clients.status_at[0][events]
    assert len(clients.received[0]) == events
    return events / (done - started)


async def main(args, world) -> None:
    from django.conf import settings

    from tests.support import free_port

    user, machine, cookie = world
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    port = free_port()
    daphne = start_daphne(port)
    base = f"ws://127.0.0.1:{port}"
    headers = {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
    print(f"layer: {layer}, database: {db}, {os.cpu_count()} cores")
    try:
        for n in [int(x) for x in args.clients.split(",")]:
            values, worst = await latency(base, headers, machine, n, args.events, args.rate)
            print(f"latency, {n} client{'s' if n > 1 else ''}: p50 {pct(values, 50):.1f} ms, "
                  f"p99 {pct(values, 99):.1f} ms, max {max(values):.1f} ms (event {worst}) "
                  f"({args.events} events at {args.rate:g}/s, {len(values)} receipts)")
        if args.follow:
            followed, committed = await follow(base, headers, machine, args.follow)
            print(f"follow: {followed:.0f} events/s received by one page "
                  f"(committer: {committed:.0f} events/s, one event per transaction)")
        if args.replay:
            rate = await replay(base, headers, machine, args.replay)
            print(f"replay: {args.replay} events in {args.replay / rate:.2f} s "
                  f"({rate:.0f} events/s, after=0)")
    finally:
        daphne.terminate()
        daphne.wait(15)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--commit":
        committer_main(sys.argv[2:])
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,50")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--follow", type=int, default=2000)
    parser.add_argument("--replay", type=int, default=25000)
    args = parser.parse_args()
    setup_django()
    world = make_world()
    try:
        asyncio.run(main(args, world))
    finally:
        world[0].delete()  # the bench user: its machine, executions and events go with it
