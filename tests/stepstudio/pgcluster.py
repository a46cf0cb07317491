"""A private PostgreSQL cluster for tests that stop the database: its own data directory and
port, run as the postgres system user (initdb refuses root), never the shared server."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support import free_port, service_missing

BIN = Path("/usr/lib/postgresql/15/bin")


class Cluster:
    def __init__(self):
        if not (BIN / "initdb").exists():
            service_missing(f"{BIN}/initdb is missing (PostgreSQL 15 server binaries)")
        self.root = Path(tempfile.mkdtemp(prefix="pgcluster-"))
        self.data = self.root / "data"
        self.port = free_port()
        shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)  # the cluster's socket lives here too
        self._as_postgres([BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                           "--no-sync", "-E", "UTF8"])

    def _as_postgres(self, argv, check=True):
        return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, argv)],
                              capture_output=True, text=True, check=check, timeout=120)

    def start(self):
        self._as_postgres([BIN / "pg_ctl", "-D", self.data, "-w", "-l", self.root / "log",
                           "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                                 "-c fsync=off", "start"])

    def stop(self):
        self._as_postgres([BIN / "pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop"],
                          check=False)

    def create_database(self, name: str) -> str:
        self._as_postgres([BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U",
                           "postgres", name])
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
