"""(4) XSS: every page that shows user text (state names, Comment, execution name, error,
cause, input, descriptions, reflected query strings) shows it escaped; JSON for scripts is
embedded with json_script (never as code)."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from engine.models import HistoryEvent, TaskToken
from tests.security.conftest import IMG, MACHINE, SCRIPT, TOKEN

pytestmark = pytest.mark.django_db

RAW = ["<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>"]
ADMIN = "/admin/engine"


def assert_escaped(html: str, where: str, must_show: bool = True) -> None:
    for raw in RAW:
        assert raw not in html, (where, raw, _around(html, raw))
    if must_show:
        assert ("&lt;script&gt;alert(1)" in html or "\\u003Cscript\\u003Ealert(1)" in html), where


def _around(html: str, needle: str) -> str:
    i = html.find(needle)
    return html[max(0, i - 200): i + 200]


def assert_scripts_are_only_json_or_ours(html: str, where: str) -> None:
    """Inline <script> blocks are json_script data, nothing else."""
    for attrs, _ in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert 'type="application/json"' in attrs or "src=" in attrs, (where, attrs)


def test_the_live_execution_page_escapes_everything(world):
    for who in ("alice", "staff"):
        html = world.client(getattr(world, who)).get(
            f"/executions/{world.failed.id}/").content.decode()
        assert_escaped(html, "live execution")
        assert_scripts_are_only_json_or_ours(html, "live execution")
        # the state names of the history table, the error and the cause are all there
        assert "A&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_live_list_escapes_names_and_reflected_filters(world):
    client = world.client(world.alice)
    html = client.get("/executions/").content.decode()
    assert_escaped(html, "live list")
    reflected = client.get(f"/executions/?state_machine={quote(SCRIPT + IMG)}"
                           f"&status={quote(IMG)}").content.decode()
    assert_escaped(reflected, "live list filters")
    assert_scripts_are_only_json_or_ours(reflected, "live list")


def test_the_designer_page_escapes_a_name_from_the_url(world):
    client = world.client(world.alice)
    html = client.get(f"/designer/{quote(SCRIPT.replace('/', ''))}/").content.decode()
    assert "<script>alert(1)" not in html
    html = client.get(f"/designer/{quote(IMG)}/").content.decode()
    assert_escaped(html, "designer", must_show=False)
    assert_scripts_are_only_json_or_ours(html, "designer")
    # No such machine: the 404 page names it, escaped.
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_designer_page_of_alices_machine_carries_none_of_its_text(world):
    # Staff get a 404 here: the designer edits the signed-in user's own namespace.
    html = world.client(world.alice).get(f"/designer/{MACHINE}/").content.decode()
    assert_escaped(html, "designer", must_show=False)
    assert_scripts_are_only_json_or_ours(html, "designer")


def test_the_home_page_escapes_machine_names_for_their_owner_and_staff(world):
    from engine.models import StateMachine

    StateMachine.objects.create(owner=world.alice, name=f"n{IMG}", definition={})
    for who in ("alice", "staff"):
        html = world.client(getattr(world, who)).get("/").content.decode()
        assert_escaped(html, "home", must_show=False)
        assert_scripts_are_only_json_or_ours(html, "home")
        assert "n&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_designer_api_returns_the_definition_as_json_only(world):
    response = world.client(world.alice).get(f"/api/state-machines/{MACHINE}/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["definition"]["Comment"].startswith("comment <script>")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "/", "/executions/",
    f"{ADMIN}/execution/", f"{ADMIN}/execution/?q={quote(SCRIPT)}",
    f"{ADMIN}/execution/{{failed}}/change/",
    f"{ADMIN}/statemachine/", f"{ADMIN}/statemachine/{{machine}}/change/",
    f"{ADMIN}/statemachineversion/", f"{ADMIN}/statemachineversion/{{version}}/change/",
    f"{ADMIN}/historyevent/", f"{ADMIN}/historyevent/?execution={{failed}}",
    f"{ADMIN}/historyevent/{{event}}/change/",
    f"{ADMIN}/tasktoken/", f"{ADMIN}/tasktoken/{{token}}/change/",
    f"{ADMIN}/activity/",
])
def test_staff_pages_escape_user_text(world, path):
    event = HistoryEvent.objects.filter(execution=world.failed, seq=2).get()
    path = path.format(failed=world.failed.pk, machine=world.machine.pk,
                       version=world.version.pk, event=event.pk,
                       token=TaskToken.objects.get(token=TOKEN).pk)
    response = world.client(world.staff).get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    # Pages listing only names (which cannot hold markup) have nothing to show escaped.
    quiet = path.endswith(("/statemachine/", "/statemachineversion/", "/activity/")) \
        or "tasktoken" in path or path.startswith(("/executions/", "/designer/")) or path == "/"
    assert_escaped(html, path, must_show=not quiet)


def test_the_home_page_escapes_the_host(world):
    html = world.client(world.alice).get("/").content.decode()
    assert_escaped(html, "home", must_show=False)


def test_access_key_descriptions_and_revoke_messages_are_escaped(world):
    client = world.client(world.alice)
    client.post("/accounts/keys/", {"description": SCRIPT + IMG})
    html = client.get("/accounts/keys/").content.decode()
    assert_escaped(html, "keys")
    response = client.post(f"/accounts/keys/{quote(IMG)}/revoke/", follow=True)
    assert_escaped(response.content.decode(), "revoke message", must_show=False)
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.content.decode()


def test_admin_operation_messages_escape_execution_names(world):
    staff = world.client(world.staff)
    response = staff.post(f"{ADMIN}/execution/{world.failed.pk}/operate/start_again/",
                          follow=True)
    assert response.status_code == 200
    assert_escaped(response.content.decode(), "admin message", must_show=False)


def test_the_admin_export_is_a_json_download(world):
    response = world.client(world.staff).get(f"{ADMIN}/execution/{world.failed.pk}/history.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "<" not in response["Content-Disposition"] and '"' not in response[
        "Content-Disposition"].split("filename=", 1)[1].strip('"')


def test_the_api_answers_json_even_to_a_browser(world):
    # No browsable-API HTML page: user text leaves the API as JSON only.
    client = world.client(world.alice)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for path in (f"/api/executions/{world.failed.id}/", "/api/state-machines/",
                 f"/api/executions/{world.failed.id}/history/"):
        response = client.get(path, headers={"Accept": browser})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json", path
    response = client.get("/api/state-machines/", headers={"Accept": "text/html"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_acceptable"
