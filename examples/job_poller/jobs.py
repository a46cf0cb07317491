"""A stand-in for the external job service the job poller drives.

Replace this module with your service's client. Jobs are JSON files in JOB_POLLER_DIR (default:
a directory under the system's temporary directory), so every worker process on the machine
sees the same jobs, as they would all see a real service.

A job is told by its submission how it behaves: `checksNeeded` status checks before it
finishes, `fail` to finish FAILED, and `flakyChecks` status calls that fail with
JobServiceUnavailable before the service answers (the state machine retries those).
"""
from __future__ import annotations

import json
import os
import tempfile
import uuid
from datetime import datetime, timezone
from pathlib import Path


class JobServiceUnavailable(Exception):
    """The job service did not answer this time; asking again may work."""


class JobNotFound(Exception):
    """No job has this id."""


def _store() -> Path:
    path = Path(os.environ.get("JOB_POLLER_DIR") or Path(tempfile.gettempdir()) / "stepstudio-job-poller")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(task_id: str) -> Path:
    if not isinstance(task_id, str) or not task_id.startswith("task-") or "/" in task_id:
        raise JobNotFound(f"no job {task_id!r}")
    return _store() / f"{task_id}.json"


def _save(job: dict) -> None:
    tmp = _path(job["taskId"]).with_suffix(".tmp")
    tmp.write_text(json.dumps(job))
    tmp.replace(_path(job["taskId"]))  # atomic: a reader never sees half a job


def submit(spec: dict) -> dict:
    job = {"taskId": f"task-{uuid.uuid4().hex[:12]}", "status": "RUNNING",
           "submittedAt": datetime.now(timezone.utc).isoformat(),
           "checksNeeded": int(spec.get("checksNeeded", 2)), "fail": bool(spec.get("fail", False)),
           "flakyChecks": int(spec.get("flakyChecks", 0)), "checks": 0, "unavailable": 0}
    _save(job)
    return job


def status(task_id: str) -> dict:
    path = _path(task_id)
    if not path.exists():
        raise JobNotFound(f"no job {task_id!r}")
    job = json.loads(path.read_text())
    if job["unavailable"] < job["flakyChecks"]:
        job["unavailable"] += 1
        _save(job)
        raise JobServiceUnavailable(f"the job service did not answer for {task_id} "
                                    f"(call {job['unavailable']} of {job['flakyChecks']} that fail)")
    if job["status"] == "RUNNING":
        job["checks"] += 1
        if job["checks"] >= job["checksNeeded"]:
            job["status"] = "FAILED" if job["fail"] else "SUCCEEDED"
        _save(job)
    return job
