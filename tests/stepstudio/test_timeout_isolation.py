"""A test killed by pytest-timeout in the middle of a query does not break the tests after it."""

import subprocess
import sys

import pytest

from tests.support import REPO

pytestmark = [pytest.mark.services, pytest.mark.subprocess]

# Transactional tests: there the interrupted connection is not wrapped in a test atomic block,
# which is when psycopg's half-finished command poisoned every later test.
SUITE = '''
import pytest
from django.db import connection


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(1)
def test_1_stuck_in_a_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")


@pytest.mark.django_db(transaction=True)
def test_2_the_next_test_can_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_3_the_next_test_can_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
'''


def test_a_timeout_mid_query_only_fails_its_own_test(tmp_path, postgres_url):
    (tmp_path / "test_suite.py").write_text(SUITE)
    # Its own database name: pytest-django creates and drops test_<name>, and the outer run
    # is using test_<name> for the configured one.
    database_url = postgres_url.split("?")[0] + "_timeout_probe"
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "DATABASE_URL": database_url,
           "VAR_DIR": str(tmp_path / "var"), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "test_suite.py", "-p", "tests.conftest",
         "--ds=stepstudio.settings", "-p", "no:cacheprovider", "-c", "/dev/null",
         "--rootdir", str(tmp_path), "-q", "-o", "timeout_func_only=true"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "1 failed, 2 passed" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]
    assert "test_1_stuck_in_a_query - Failed: Timeout" in done.stdout
