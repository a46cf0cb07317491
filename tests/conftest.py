"""Fixtures shared by every test package: users, logged-in clients, ASGI credentials.

Service and subprocess helpers are in tests/support.py.
"""

from __future__ import annotations

import functools
import itertools
import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client

from tests.support import CHROMIUM, require_chromium, require_postgres, require_redis

PASSWORD = "correct-horse-battery"
_usernames = itertools.count(1)


@functools.cache
def _password_hash(password: str) -> str:
    # One PBKDF2 hash per password per process: a hash costs ~0.5 s of CPU and thousands of
    # tests make users. The hash is a real one, so a login through any server checks it.
    return make_password(password)


@pytest.fixture
def make_user(db):
    """make_user(username=None, *, staff=False, password=PASSWORD, **fields) -> User."""

    def make(username: str | None = None, *, staff: bool = False, password: str = PASSWORD,
             **fields):
        username = username or f"user{next(_usernames)}"
        user = get_user_model().objects.create_user(
            username=username, password=None, is_staff=staff, **fields)
        user.password = _password_hash(password)
        user.save(update_fields=["password"])
        return user

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice")


@pytest.fixture
def other_user(make_user):
    """A second ordinary user, for "cannot see someone else's" tests."""
    return make_user("bob")


@pytest.fixture
def staff_user(make_user):
    return make_user("staff", staff=True)


@pytest.fixture
def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def asgi_headers():
    """asgi_headers(user) -> ASGI headers of a logged-in browser (session cookie, Origin, Host).

    For channels' HttpCommunicator / WebsocketCommunicator on stepstudio.asgi.application;
    needs a test with `@pytest.mark.django_db(transaction=True)` because the ASGI stack reads
    the session from other threads.
    """

    def headers(user=None, origin: str | None = None) -> list[tuple[bytes, bytes]]:
        origin = origin or f"http://{_origin_host()}"
        result = [(b"host", b"testserver"), (b"origin", origin.encode())]
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            result.append((b"cookie", f"{cookie.key}={cookie.value}".encode()))
        return result

    return headers


def _origin_host() -> str:
    # AllowedHostsOriginValidator copies ALLOWED_HOSTS when stepstudio.asgi is imported,
    # which may be before the test environment appends "testserver"; use a configured host.
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "testserver") and h[0] != "."]
    return hosts[0] if hosts else "localhost"


@pytest.fixture
def redis_url() -> str:
    return require_redis()


@pytest.fixture
def postgres_url() -> str:
    return require_postgres()


# --- Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium (the Debian package) driven by Playwright; one per test module.

    Module-scoped on purpose: while it lives, an event loop runs in the main thread, so
    async_to_sync (channel-layer tests) cannot run; keep browser tests in their own modules.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread meanwhile, and
    # Django then refuses every ORM call (test database set-up included) as "async". The calls
    # are still synchronous, so allow them while the browser lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture
def logged_in_page(page, live_server, user):
    """A browser page carrying `user`'s session for pytest-django's live_server."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


# --- Keep one timed-out test from failing all the others -----------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    yield
    # pytest-timeout (signal method) raises inside whatever was running, possibly halfway
    # through a PostgreSQL command; psycopg then refuses every later query on that connection
    # ("another command is already in progress") and each following test errors. Closing the
    # connections here, before teardown, lets Django reconnect for the next test.
    if call.excinfo is not None and "from pytest-timeout" in str(call.excinfo.value):
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - it is broken; we only want it gone
                pass


# --- Make service-backed tests visible in the summary -----------------------------------
# A CI run that silently skipped them would look green; this line says how many really ran.

def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # From the reports, not the collected items: under xdist only the workers collect.
    counts, seen = {}, False
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        nodeids = {r.nodeid for r in reports
                   if getattr(r, "when", "call") in ("call", "setup")
                   and "services" in getattr(r, "keywords", {})}
        seen = seen or bool(nodeids)
        counts[outcome] = len(nodeids)
    if not seen:
        return
    terminalreporter.write_line(
        "service-backed tests (marker 'services', PostgreSQL/Redis): "
        + ", ".join(f"{n} {outcome}" for outcome, n in counts.items()))
