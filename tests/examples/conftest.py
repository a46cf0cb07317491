"""The examples run as their README says: STEPSTUDIO_HANDLERS=examples.<name> in every process."""
import pytest

from tests.clients.python.conftest import server  # noqa: F401 — fixture (daphne + runtime)
from tests.engine.runtime.conftest import make_machine, runtime, runtime_env  # noqa: F401


@pytest.fixture(autouse=True)
def job_poller_everywhere(monkeypatch, tmp_path):
    """Child processes (workers, scheduler, daphne) get the example's handlers and a job store
    of the test's own; runtime_env copies this environment."""
    monkeypatch.setenv("STEPSTUDIO_HANDLERS", "examples.job_poller")
    monkeypatch.setenv("JOB_POLLER_DIR", str(tmp_path / "jobs"))
