"""Browser fixtures for the designer's end-to-end tests (tests/e2e/test_designer_*.py).

A real Chromium (Debian's /usr/bin/chromium) drives the built page served by pytest-django's
live server, logged in through a session cookie. Import the fixtures into a test module with
`from tests.designer.browser import *`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.support import in_ci

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "designer"

__all__ = ["chromium", "designer", "DesignerPage", "login"]


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        if in_ci():
            pytest.fail(f"browser tests need {CHROMIUM} (make chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django's ORM refuses to run
    # in a thread with a loop unless told that it is safe, and here it is: one thread, no
    # coroutines touch the ORM.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class DesignerPage:
    """The designer page with the gestures tests need (mouse drags, inspector fields)."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str = "/designer/") -> "DesignerPage":
        self.page.goto(self.base_url + path)
        self.page.wait_for_function("window.stepstudio && window.stepstudio.designer")
        self.page.wait_for_selector(".react-flow__node")
        return self

    # -- document --------------------------------------------------------------------------
    def asl(self) -> dict:
        return self.page.evaluate("window.stepstudio.designer.toASL()")

    def load(self, definition: dict) -> None:
        self.page.evaluate("(d) => window.stepstudio.designer.load(d)", definition)
        self.settle()

    def settle(self) -> None:
        """Wait until the current document is laid out, drawn, and the viewport has stopped
        moving (fit/pan animations would shift what a following mouse gesture aims at)."""
        self.page.evaluate("window.stepstudio.designer.whenLaidOut()")
        self.page.wait_for_timeout(100)
        self.page.evaluate("""async () => {
            const transform = () => document.querySelector('.react-flow__viewport')?.style.transform;
            let last = transform();
            for (let i = 0; i < 30; i++) {
                await new Promise((r) => setTimeout(r, 120));
                const now = transform();
                if (now === last) return;
                last = now;
            }
        }""")

    # -- canvas ----------------------------------------------------------------------------
    def node(self, name: str):
        return self.page.locator(f'[data-state-name="{name}"]')

    def state_names(self) -> list[str]:
        return self.page.eval_on_selector_all("[data-state-name]", "els => els.map(e => e.dataset.stateName)")

    def centre_of(self, locator) -> tuple[float, float]:
        # Edge labels and drop targets re-render while the viewport settles; retry briefly.
        for _ in range(50):
            box = locator.bounding_box()
            if box:
                return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{locator} is not on screen")

    def drag_palette_item(self, key: str, to_edge: str | None = None, to: tuple[float, float] | None = None) -> None:
        """Press on a palette item, move over the canvas, release on an edge's drop target or a point."""
        mouse = self.page.mouse
        x, y = self.centre_of(self.page.locator(f'[data-palette-item="{key}"]'))
        mouse.move(x, y)
        mouse.down()
        mouse.move(x + 40, y + 10, steps=4)
        if to_edge is not None:
            target = self.page.locator(f'[data-edge-drop="{to_edge}"]')
            target.wait_for()
            to = self.centre_of(target)
        assert to is not None
        mouse.move(to[0], to[1], steps=8)
        mouse.up()
        self.settle()

    def empty_canvas_point(self) -> tuple[float, float]:
        box = self.page.locator(".react-flow__pane").bounding_box()
        return box["x"] + 60, box["y"] + box["height"] - 60

    def connect(self, source: str, handle: str, target: str) -> None:
        """Drag from a source handle of one state to the target handle of another."""
        src = self.page.locator(f'.react-flow__node:has([data-state-name="{source}"]) .react-flow__handle[data-handleid="{handle}"]').first
        dst = self.page.locator(f'.react-flow__node:has([data-state-name="{target}"]) .react-flow__handle.target').first
        mouse = self.page.mouse
        sx, sy = self.centre_of(src)
        tx, ty = self.centre_of(dst)
        self.node(source).hover()
        mouse.move(sx, sy)
        mouse.down()
        mouse.move((sx + tx) / 2, (sy + ty) / 2, steps=6)
        mouse.move(tx, ty, steps=6)
        mouse.up()
        self.settle()

    def select(self, name: str) -> None:
        self.node(name).click()

    def paste(self, selector: str, text: str) -> None:
        """Put `text` on the clipboard and paste it into a field with Ctrl+V. (Playwright's
        fill() types a multi-line text through Chromium's editing code, which takes seconds
        for a big definition; a paste is one insertion, as for a person.)"""
        self.page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
        self.page.click(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Control+V")
        self.page.wait_for_function("([s, n]) => document.querySelector(s).value.length === n", arg=[selector, len(text)])

    def open_problems(self):
        if self.page.locator('[data-testid="problems"]').count() == 0:
            self.page.click('[data-action="problems"]')
        return self.page.locator('[data-testid="problems"]')

    # -- inspector -------------------------------------------------------------------------
    def field(self, name: str):
        return self.page.locator(f'.sd-inspector [data-field="{name}"]')

    def fill(self, name: str, value: str) -> None:
        """Type into an inspector field and commit it (fields commit on Enter/blur)."""
        field = self.field(name)
        field.fill(value)
        field.press("Tab")
        self.page.wait_for_timeout(50)

    def choose(self, name: str, value: str) -> None:
        self.field(name).select_option(value)

    def validation_status(self) -> str:
        return self.page.locator('[data-testid="validation-status"]').inner_text()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the login form, as a person does."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def designer(request, live_server, chromium, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    # Clipboard access: tests paste definitions as a person does (Ctrl+V), not by "typing" them.
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True,
                                   permissions=["clipboard-read", "clipboard-write"])
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    d = DesignerPage(page, live_server.url)
    yield d
    # The last view of every test, to look at when one fails.
    d.screenshot(f"last-{request.node.name}")
    context.close()
    assert not d.errors, f"page errors: {json.dumps(d.errors)}"
