"""Every page needs a login; login and logout work; CSRF is enforced."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import Client

from tests.conftest import PASSWORD


def test_pages_redirect_anonymous_visitors_to_login(client, db):
    for path, login in (("/", "/accounts/login/"), ("/accounts/password/", "/accounts/login/"),
                        ("/admin/", "/admin/login/")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{login}?next={path}", path


def test_logging_in_with_the_form_leads_home(client, user):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_shows_an_error(client, user):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"form-error" in response.content
    assert client.get("/").status_code == 302


def test_a_post_without_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


def test_logging_out_ends_the_session(logged_in_client):
    assert logged_in_client.get("/").status_code == 200
    response = logged_in_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert logged_in_client.get("/").status_code == 302


def test_createlogin_prints_a_working_password_once(db, capsys):
    call_command("createlogin")
    first = capsys.readouterr().out
    password = first.split("password:")[1].split()[0]
    assert authenticate(username="admin", password=password).is_superuser

    call_command("createlogin")
    second = capsys.readouterr().out
    assert password not in second
    assert "exists already" in second and "changepassword admin" in second


def test_createlogin_gives_a_password_to_an_admin_created_without_one(db, capsys):
    owner = get_user_model().objects.create_user("admin")
    owner.set_unusable_password()
    owner.save()

    call_command("createlogin")
    password = capsys.readouterr().out.split("password:")[1].split()[0]
    assert authenticate(username="admin", password=password).is_superuser
