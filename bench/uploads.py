"""Web-process memory under oversized uploads: RSS of daphne before and after concurrent
1 GiB request bodies, anonymous and authenticated, with Content-Length and chunked.

    .venv/bin/python bench/uploads.py [--clients 10] [--size-mib 1024]

daphne serves stepstudio.asgi (as `manage.py serve` runs it) in embedded mode in a scratch
VAR_DIR (SQLite, migrated first so that an access token authenticates). For each case,
`--clients` connections at once POST a `--size-mib` body to /api/validate/, sent as fast as
the socket takes it until the server answers or closes; each answer's status is recorded.
RSS is read from /proc: VmRSS before and after the case, and VmHWM (the peak) after it.

Prints one line per case:
  <case>: statuses {413: 10}, RSS before X MiB, after Y MiB, peak Z MiB, ratio after/before R,
  peak/before P
and the bytes the clients managed to send in total (what the server read and dropped).
Ratios near 1 mean the bodies never reached memory; before the body limit, one 1 GiB upload
took the process from 130 to 1,163 MiB (ratio ~9) and it stayed there.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PIECE = b"x" * (1024 * 1024)


def rss_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def upload(port: int, size: int, chunked: bool, token: str | None, out: list, sent: list):
    head = [b"POST /api/validate/ HTTP/1.1", b"Host: 127.0.0.1",
            b"Content-Type: application/json"]
    head.append(b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % size)
    if token:
        head.append(f"Authorization: Token {token}".encode())
    total = 0
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(b"\r\n".join(head) + b"\r\n\r\n")
        try:
            while total < size:
                piece = PIECE[:size - total]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                total += len(piece)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server refused and closed: the answer is already waiting
        answer = b""
        try:
            while b"\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    out.append(int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None)
    sent.append(total)


def run_case(name, port, pid, clients, size, chunked, token):
    before, _ = rss_mib(pid)
    statuses, sent = [], []
    threads = [threading.Thread(target=upload, args=(port, size, chunked, token, statuses, sent))
               for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    time.sleep(1)  # let the server finish its refusals
    after, peak = rss_mib(pid)
    counts = {s: statuses.count(s) for s in set(statuses)}
    print(f"{name}: statuses {counts}, RSS before {before:.0f} MiB, after {after:.0f} MiB, "
          f"peak {peak:.0f} MiB, ratio after/before {after / before:.2f}, "
          f"peak/before {peak / before:.2f}; clients sent {sum(sent) / 2**20:,.0f} MiB "
          f"in {elapsed:.1f} s", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--size-mib", type=int, default=1024)
    args = parser.parse_args()
    size = args.size_mib * 1024 * 1024

    var_dir = tempfile.mkdtemp(prefix="bench-uploads-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="stepstudio.settings",
               PYTHONUNBUFFERED="1")
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run(manage + ["migrate", "-v", "0"], env=env, check=True, cwd=REPO)
    token = subprocess.run(manage + ["shell", "-c", (
        "from django.contrib.auth import get_user_model;"
        "from rest_framework.authtoken.models import Token;"
        "u = get_user_model().objects.create_user('bench', password='x');"
        "print(Token.objects.create(user=u).key)")], env=env, check=True, cwd=REPO,
        capture_output=True, text=True).stdout.split()[-1]

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    web = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                            "stepstudio.asgi:application"], env=env, cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or web.poll() is not None:
                    raise SystemExit("daphne did not start")
                time.sleep(0.3)
        # One ordinary request first, so the "before" figure includes a warmed-up process.
        upload(port, 2, False, token, [], [])
        print(f"{args.clients} concurrent uploads of {args.size_mib} MiB to daphne "
              f"(pid {web.pid}); load average {os.getloadavg()[0]:.1f}", flush=True)
        for name, chunked, tok in (("anonymous, Content-Length", False, None),
                                   ("anonymous, chunked", True, None),
                                   ("authenticated, Content-Length", False, token),
                                   ("authenticated, chunked", True, token)):
            run_case(name, port, web.pid, args.clients, size, chunked, tok)
    finally:
        web.terminate()
        web.wait(15)


if __name__ == "__main__":
    main()
