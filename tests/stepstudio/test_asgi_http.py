"""The ASGI application serves Django pages behind the login."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import ApplicationCommunicator

from stepstudio.asgi import application


def get(path, headers):
    """One GET through the whole ASGI stack; returns {"status", "headers", "body"}."""
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}

    async def exchange():
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await communicator.receive_output(10)
        body = b""
        while True:
            # "body" and "more_body" are optional in ASGI; streamed files end with neither.
            chunk = await communicator.receive_output(10)
            body += chunk.get("body", b"")
            if not chunk.get("more_body", False):
                break
        await communicator.wait(10)
        return {"status": start["status"], "headers": start["headers"], "body": body}

    return async_to_sync(exchange)()


def header(response, name: bytes) -> str | None:
    return next((v.decode() for k, v in response["headers"] if k.lower() == name), None)


@pytest.mark.django_db(transaction=True)
def test_a_logged_in_user_gets_the_home_page(user, asgi_headers):
    response = get("/", asgi_headers(user))
    assert response["status"] == 200
    body = response["body"].decode()
    for link in ('href="/"', 'href="/executions/"', 'href="/api/docs/"'):
        assert link in body
    # Admin is for staff only; alice is not staff.
    assert 'href="/admin/"' not in body
    assert "alice" in body
    assert 'action="/accounts/logout/"' in body


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_visitor_is_sent_to_the_login_page(asgi_headers):
    response = get("/", asgi_headers())
    assert response["status"] == 302
    assert header(response, b"location") == "/accounts/login/?next=/"


@pytest.mark.django_db(transaction=True)
def test_the_login_page_and_static_files_are_public(asgi_headers):
    login = get("/accounts/login/", asgi_headers())
    assert login["status"] == 200
    assert b'name="password"' in login["body"]
    css = get("/static/css/stepstudio.css", asgi_headers())
    assert css["status"] == 200
    assert header(css, b"content-type").startswith("text/css")
