"""`manage.py serve` for browser tests that need the whole app: daphne with websockets, the
embedded Celery worker and scheduler, on a SQLite database of the server's own (even when
the test run points DATABASE_URL at a shared PostgreSQL)."""
from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

from stepstudio import embedded
from tests.support import MANAGE_PY, REPO, child_env, free_port, run_python, stop_process, wait_until


@contextlib.contextmanager
def served_app(var: Path, setup: str, setup_timeout: float = 90, **env_extra: str):
    """Migrate a database in `var`, run `setup` (Python, Django set up by it) against it,
    serve; yields (base URL, the server's environment, what `setup` printed)."""
    env = child_env(var_dir=var, DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}", **env_extra)
    migrate = subprocess.run([sys.executable, str(MANAGE_PY), "migrate", "-v0"], cwd=REPO,
                             env=env, capture_output=True, text=True, timeout=180)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    done = run_python(setup, env, timeout=setup_timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    port = free_port()
    log = open(var / "serve.log", "w")
    serve = subprocess.Popen([sys.executable, str(MANAGE_PY), "serve", "--port", str(port)],
                             cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: embedded.wait_for_port("127.0.0.1", port, 0.5), 60, what="daphne")
        yield f"http://127.0.0.1:{port}", env, done.stdout
    finally:
        stop_process(serve, timeout=30)
        log.close()
