"""Browser fixtures of the app's page tests (test_home_page.py, test_frame.py): a logged-in
Chromium page per user on pytest-django's live server, failing the test on any page error.
"""
from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from engine.machines.views import BLANK_DEFINITION
from engine.models import StateMachine
from tests.support import REPO

__all__ = ["ARTIFACTS", "Browser", "browse", "machine"]

ARTIFACTS = REPO / "test-artifacts" / "home"


class Browser:
    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str = "/"):
        self.page.goto(self.base_url + path)
        return self

    def rows(self) -> list[str]:
        return self.page.eval_on_selector_all("tr[data-machine]",
                                              "rows => rows.map(r => r.dataset.machine)")

    def row(self, name: str):
        return self.page.locator(f'tr[data-machine="{name}"]')

    def screenshot(self, name: str, full_page: bool = False) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def browse(request, live_server, chromium):  # noqa: F811 (fixture)
    contexts = []

    def open_as(user, width: int = 1440, height: int = 900) -> Browser:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = chromium.new_context(viewport={"width": width, "height": height})
        context.add_cookies([{"name": cookie.key, "value": cookie.value,
                              "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return Browser(page, live_server.url)

    browsers = []

    def make(user, **kwargs):
        b = open_as(user, **kwargs)
        browsers.append(b)
        return b

    yield make
    for b in browsers:
        try:
            b.screenshot(f"last-{request.node.name}")
        except Exception:  # noqa: BLE001 (a closed page has nothing to show)
            pass
    for context in contexts:
        context.close()
    for b in browsers:
        assert not b.errors, f"page errors: {json.dumps(b.errors)}"


def machine(owner, name, **fields):
    return StateMachine.objects.create(owner=owner, name=name,
                                       definition=fields.pop("definition", BLANK_DEFINITION),
                                       **fields)
