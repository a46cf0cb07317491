"""(7) Settings: DEBUG off unless set, no secret key in the repository, sensible cookie and
header defaults, and production hardening (SECURE_*) configurable and documented."""
from __future__ import annotations

import json
import os
import subprocess

import pytest
from django.conf import settings
from django.test import Client

from tests.support import REPO, run_python

pytestmark = pytest.mark.django_db

PROBE = """
import json
import django
django.setup()
from django.conf import settings as s  # with Django's defaults for what ours leaves unset
print(json.dumps({k: getattr(s, k, None) for k in (
    "DEBUG", "SECRET_KEY", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE",
    "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
    "ALLOWED_HOSTS")}, default=str))
"""
ENV_VARS = {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "SECURE_COOKIES", "BEHIND_HTTPS_PROXY",
            "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "SECURE_HSTS_SECONDS",
            "SECURE_SSL_REDIRECT"}


def load(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    clean.update(VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="stepstudio.settings",
                 **env)
    done = run_python(PROBE, clean)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_debug_is_off_unless_set(tmp_path):
    assert load(tmp_path)["DEBUG"] is False
    assert load(tmp_path, DEBUG="true")["DEBUG"] is True
    assert settings.DEBUG is False


def test_an_error_page_shows_no_debug_information(world):
    html = world.client(world.alice).get("/executions/00000000-0000-0000-0000-000000000000/")
    assert html.status_code == 404
    assert b"Traceback" not in html.content and b"URLconf" not in html.content


def test_the_generated_secret_key_lives_outside_the_repository(tmp_path):
    s = load(tmp_path)
    assert len(s["SECRET_KEY"]) >= 50
    assert (tmp_path / "var" / "secret_key").read_text().strip() == s["SECRET_KEY"]
    assert not ((tmp_path / "var" / "secret_key").stat().st_mode & 0o077)  # owner-only


def test_no_secret_key_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    assert not [p for p in tracked if p.startswith("var/") or p.endswith("secret_key")]
    assert "var/" in (REPO / ".gitignore").read_text().split()
    settings_py = (REPO / "stepstudio" / "settings.py").read_text()
    assert "django-insecure" not in settings_py
    assert settings.SECRET_KEY not in settings_py
    grep = subprocess.run(["git", "grep", "-l", "-F", settings.SECRET_KEY], cwd=REPO,
                          capture_output=True, text=True)
    assert grep.stdout == "", grep.stdout


def test_cookie_flags_are_sensible_by_default(tmp_path):
    s = load(tmp_path)
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    secure = load(tmp_path, SECURE_COOKIES="true")
    assert secure["SESSION_COOKIE_SECURE"] is True and secure["CSRF_COOKIE_SECURE"] is True
    proxy = load(tmp_path, BEHIND_HTTPS_PROXY="true")
    assert proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert load(tmp_path)["SECURE_PROXY_SSL_HEADER"] is None  # not trusted unless asked


def test_responses_carry_the_security_headers(world):
    response = world.client(world.alice).get("/executions/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_httponly(world):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "correct-horse-battery"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_access_key_page_is_not_cached(world):
    # It shows a new secret once; no browser or proxy cache should keep that page.
    response = world.client(world.alice).post("/accounts/keys/", {"description": "ci"})
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_allowed_hosts_is_not_a_wildcard_by_default(tmp_path):
    assert "*" not in load(tmp_path)["ALLOWED_HOSTS"]


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    readme = (REPO / "README.md").read_text()
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env.update(VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="stepstudio.settings",
               SECRET_KEY="x" * 20 + "production-like-key-" + "y" * 30, SECURE_COOKIES="true",
               BEHIND_HTTPS_PROXY="true", ALLOWED_HOSTS="stepstudio.example.com",
               SECURE_SSL_REDIRECT="true", SECURE_HSTS_SECONDS="31536000")
    done = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "manage.py", "check",
                           "--deploy", "--fail-level", "WARNING"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SECURE_HSTS_SECONDS" in readme and "SECURE_SSL_REDIRECT" in readme
