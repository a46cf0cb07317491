"""In CI the suite itself runs on the production services, not on the SQLite defaults."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.services


def test_the_database_is_postgresql_when_database_url_says_so(postgres_url, db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (name,) = cursor.fetchone()
    # pytest-django runs on test_<name> next to the configured database (test_<name>_gw<n>
    # on each of `make test`'s xdist processes).
    expected = "test_" + postgres_url.rsplit("/", 1)[1].split("?")[0]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    assert name == (f"{expected}_{worker}" if worker else expected)


def test_redis_answers(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    assert client.ping() is True
