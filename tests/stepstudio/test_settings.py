"""Settings come from the environment, with working defaults and loud failures."""

import json
import os
import stat

import pytest

from tests.support import REPO, run_python

PROBE = """
import json
import stepstudio.settings as s
print(json.dumps({
    "db": s.DATABASES["default"],
    "broker": s.CELERY_BROKER_URL,
    "backend": s.CELERY_RESULT_BACKEND,
    "transport": getattr(s, "CELERY_BROKER_TRANSPORT", None),
    "layer": s.CHANNEL_LAYERS["default"],
    "secret": s.SECRET_KEY,
    "debug": s.DEBUG,
    "hosts": s.ALLOWED_HOSTS,
    "port": s.PORT,
    "embedded": s.EMBEDDED,
}, default=str))
"""

SETTINGS_VARS = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG",
                 "ALLOWED_HOSTS", "PORT", "VAR_DIR", "DJANGO_SETTINGS_MODULE", "CONN_MAX_AGE"}


def load_settings(tmp_path, **env):
    """Import stepstudio.settings in a fresh interpreter with exactly these variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    clean.update(VAR_DIR=str(tmp_path / "var"), **env)
    done = run_python(PROBE, clean)
    if done.returncode != 0:
        return None, done.stderr
    return json.loads(done.stdout), done.stderr


def test_defaults_are_sqlite_and_the_embedded_broker_under_var(tmp_path):
    s, err = load_settings(tmp_path)
    assert s, err
    var = tmp_path / "var"
    assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["db"]["NAME"] == str(var / "db.sqlite3")
    assert s["embedded"] is True
    assert s["broker"] == f"sqlite:///{var / 'broker.sqlite3'}"
    assert s["transport"] == "stepstudio.broker:Transport"
    assert s["backend"].startswith("db+sqlite:///")
    assert s["layer"]["BACKEND"] == "stepstudio.layers.SQLiteChannelLayer"
    assert s["debug"] is False
    assert s["port"] == 8000


def test_a_postgres_url_selects_postgresql(tmp_path):
    s, err = load_settings(tmp_path, DATABASE_URL="postgres://app:pw@db.example:6543/flows")
    assert s, err
    db = s["db"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example", 6543, "flows", "app")


def test_redis_url_switches_the_broker_results_and_channel_layer(tmp_path):
    s, err = load_settings(tmp_path, REDIS_URL="redis://cache.example:6380/2")
    assert s, err
    assert s["embedded"] is False
    assert s["broker"] == s["backend"] == "redis://cache.example:6380/2"
    assert s["transport"] is None
    assert s["layer"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    [host] = s["layer"]["CONFIG"]["hosts"]
    assert host["address"] == "redis://cache.example:6380/2"
    assert host["socket_timeout"] > 5  # outlives channels-redis's 5 s blocking pop


def test_plain_values_are_parsed(tmp_path):
    s, err = load_settings(tmp_path, DEBUG="yes", ALLOWED_HOSTS="a.example, b.example",
                           PORT="8123", SECRET_KEY="from-env")
    assert s, err
    assert (s["debug"], s["hosts"], s["port"], s["secret"]) == (
        True, ["a.example", "b.example", "sync-a.example", "sync-b.example"], 8123, "from-env")


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file\n")
    s, err = load_settings(tmp_path, SECRET_KEY_FILE=str(key_file))
    assert s, err
    assert s["secret"] == "from-a-file"


@pytest.mark.parametrize("name, value", [
    ("DEBUG", "maybe"),
    ("PORT", "80a"),
    ("PORT", "70000"),
    ("DATABASE_URL", "mysql://localhost/db"),
    ("REDIS_URL", "localhost:6379"),
])
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, name, value):
    s, err = load_settings(tmp_path, **{name: value})
    assert s is None
    assert "ImproperlyConfigured" in err and name in err


def test_without_secret_key_one_is_generated_once_and_kept_private(tmp_path):
    first, err = load_settings(tmp_path)
    second, _ = load_settings(tmp_path)
    assert first, err
    assert first["secret"] == second["secret"]
    assert len(first["secret"]) >= 50
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_var_is_not_committed():
    ignored = (REPO / ".gitignore").read_text().split()
    assert "var/" in ignored

