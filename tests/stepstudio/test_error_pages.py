"""404, 403 and 500 pages in the app's layout; the 500 page renders with no database and no
request context (what Django gives it when everything else has failed)."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import include, path
from django.views import defaults

import stepstudio.urls


def boom(request):
    raise RuntimeError("the server fell over")


def denied(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", boom),
    path("denied/", denied),
    path("", include(stepstudio.urls)),
]


@pytest.mark.django_db
def test_an_unknown_page_is_a_404_in_the_apps_layout(logged_in_client):
    response = logged_in_client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Not found" in html and 'class="topbar"' in html and "State machines" in html
    assert "Resolver404" not in html and "tried" not in html
    assert "<code>/no/such/page/</code>" in html


@pytest.mark.django_db
def test_an_unknown_execution_is_a_404_in_the_apps_layout(logged_in_client):
    response = logged_in_client.get("/executions/00000000-0000-0000-0000-000000000001/")
    assert response.status_code == 404
    assert 'class="topbar"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_permission_denied_is_a_403_in_the_apps_layout(logged_in_client):
    response = logged_in_client.get("/denied/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You are not allowed to do that" in html and 'class="topbar"' in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_crash_is_a_500_in_the_apps_layout_without_details(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on the server" in html and 'class="topbar"' in html
    assert "the server fell over" not in html and "Traceback" not in html


def test_the_500_page_needs_neither_a_database_nor_a_request_context(django_db_blocker):
    with django_db_blocker.block():
        response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on the server" in html
    assert "/static/css/stepstudio.css" in html and "/static/favicon.svg" in html
