"""In CI the suite itself runs on the production services, not on the SQLite defaults."""

import pytest
from django.db import connection

pytestmark = pytest.mark.services


def test_the_database_is_postgresql_when_database_url_says_so(postgres_url, db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (name,) = cursor.fetchone()
    # pytest-django runs on test_<name> next to the configured database.
    assert name == "test_" + postgres_url.rsplit("/", 1)[1].split("?")[0]


def test_redis_answers(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    assert client.ping() is True
