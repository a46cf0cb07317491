"""(1) Every URL in the URLconf refuses an anonymous visitor, except logging in and static.

Pages redirect to a login page; /api/ answers 401/403 in its JSON error shape; POST / (the
AWS protocol) answers 403 MissingAuthenticationTokenException. The walk covers every
pattern get_resolver() knows (admin, schema and docs, access keys included), so a view
added later without protection fails here.
"""
from __future__ import annotations

import pytest
from django.test import Client

from tests.security.conftest import aws, aws_error
from tests.security.urls import all_urls, resolves_to

pytestmark = pytest.mark.django_db

# The only views an anonymous visitor may reach: the two login forms.
PUBLIC = {"django.contrib.auth.views.LoginView", "django.contrib.admin.sites.AdminSite.login"}
URLS = all_urls()


def test_the_walk_found_every_kind_of_url():
    views = {view for _, view in URLS}
    for expected in ("engine.api.views.StateMachineListView", "designer.views.designer_edit",
                     "engine.live.views.execution_detail", "accounts.views.key_list",
                     "django.contrib.admin.sites.AdminSite.index",
                     "engine.api.views.SchemaView",
                     "drf_spectacular.views.SpectacularSwaggerView"):
        assert any(v.startswith(expected) for v in views), expected
    assert len(URLS) > 60


@pytest.mark.parametrize("path, view", URLS, ids=[p for p, _ in URLS])
def test_every_url_resolves_back_to_its_own_view(path, view):
    # The sample path really reaches the pattern it was made from (else the walk lies).
    # One deliberate shadow: stepstudio.views.root serves GET / and hands other methods to
    # the AWS endpoint that engine.urls routes at "".
    expected = "stepstudio.views.root" if view.endswith("aws_endpoint") else view
    assert resolves_to(path).rsplit(".", 1)[-1] == expected.rsplit(".", 1)[-1]


def _refused(response, path: str) -> bool:
    if response.status_code in (301, 302):
        location = response["Location"]
        return location.startswith(("/accounts/login/", "/admin/login/"))
    if path == "/metrics":
        # A scrape endpoint: what Prometheus understands, not a login page.
        return response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    if path.startswith("/api/"):
        return (response.status_code in (401, 403)
                and response.json()["code"] in ("not_authenticated", "authentication_failed"))
    return False


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
@pytest.mark.parametrize("path, view", [(p, v) for p, v in URLS if v not in PUBLIC],
                         ids=[p for p, v in URLS if v not in PUBLIC])
def test_an_anonymous_visitor_is_refused(path, view, method):
    if path == "/" and method != "get":
        return  # the AWS protocol: test_the_aws_protocol_refuses_an_unsigned_call
    response = getattr(Client(), method)(path, {}, content_type="application/json")
    # A method the view does not take may be a 405 for anyone, as long as nothing leaks.
    if response.status_code == 405:
        assert method != "get" or path.startswith("/accounts/logout/"), path
        return
    assert _refused(response, path), (path, method, response.status_code,
                                      response.get("Location"), response.content[:200])


@pytest.mark.parametrize("path, view", [(p, v) for p, v in URLS if v in PUBLIC],
                         ids=[p for p, v in URLS if v in PUBLIC])
def test_the_login_pages_are_public(path, view):
    assert Client().get(path).status_code == 200


def test_static_files_are_public():
    response = Client().get("/static/css/stepstudio.css")
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["ListStateMachines", "DescribeExecution", "DropTables"])
def test_the_aws_protocol_refuses_an_unsigned_call(target):
    response = aws(Client(), None, target, {}, sign=False)
    assert response.status_code == 403
    assert aws_error(response) == "MissingAuthenticationTokenException"


def test_the_aws_protocol_refuses_a_session_cookie_instead_of_a_signature(world):
    # A logged-in browser does not get to call the AWS protocol with its cookie (and so no
    # cross-site form can drive it either).
    response = aws(world.client(world.alice), None, "ListStateMachines", {}, sign=False)
    assert response.status_code == 403
    assert aws_error(response) == "MissingAuthenticationTokenException"


@pytest.mark.parametrize("path", ["/api/", "/api/nope/", "/api/../admin/"])
def test_unknown_api_paths_refuse_anonymous_callers_too(path):
    response = Client().get(path)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_logging_in_never_redirects_off_site(world, target):
    response = Client().post(f"/accounts/login/?next={target}",
                             {"username": "alice", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == "/", response["Location"]
