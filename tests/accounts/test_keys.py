"""Access keys: issued with a secret shown once, listed without it, revoked by their owner."""
from html import unescape

import pytest
from django.test import Client

from accounts.keys import active_key, create_access_key, revoke_access_key
from accounts.models import AccessKey

pytestmark = pytest.mark.django_db


def test_a_key_id_looks_like_an_aws_key_and_the_secret_is_40_characters(user):
    key_id, secret = create_access_key(user)
    assert len(key_id) == 20 and key_id.startswith("SS") and key_id.isalnum() and key_id.isupper()
    assert len(secret) == 40
    assert active_key(key_id).user == user


def test_keys_are_unique(user):
    ids = {create_access_key(user)[0] for _ in range(20)}
    assert len(ids) == 20


def test_revoking_makes_the_key_unknown(user):
    key_id, _ = create_access_key(user)
    assert revoke_access_key(user, key_id)
    assert active_key(key_id) is None
    assert not revoke_access_key(user, key_id)  # already revoked


def test_only_the_owner_revokes(user, other_user):
    key_id, _ = create_access_key(user)
    assert not revoke_access_key(other_user, key_id)
    assert active_key(key_id) is not None


def test_the_page_needs_a_login():
    response = Client().get("/accounts/keys/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_creating_a_key_on_the_page_shows_its_secret_once(logged_in_client, user):
    response = logged_in_client.post("/accounts/keys/", {"description": "laptop"})
    assert response.status_code == 200
    key = AccessKey.objects.get(user=user)
    page = response.content.decode()
    assert key.key_id in page and key.secret in page
    assert key.description == "laptop"

    listed = logged_in_client.get("/accounts/keys/").content.decode()
    assert key.key_id in listed
    assert key.secret not in listed


def test_revoking_on_the_page(logged_in_client, user):
    key_id, _ = create_access_key(user)
    response = logged_in_client.post(f"/accounts/keys/{key_id}/revoke/")
    assert response.status_code == 302
    assert active_key(key_id) is None
    assert "revoked" in logged_in_client.get("/accounts/keys/").content.decode()


def test_someone_elses_key_cannot_be_revoked_on_the_page(user, other_user):
    key_id, _ = create_access_key(user)
    bob = Client()
    bob.force_login(other_user)
    response = bob.post(f"/accounts/keys/{key_id}/revoke/", follow=True)
    assert f"No active access key {key_id}." in response.content.decode()
    assert active_key(key_id) is not None
    assert key_id not in bob.get("/accounts/keys/").content.decode()  # not in Bob's list


def test_revoke_needs_post(logged_in_client, user):
    key_id, _ = create_access_key(user)
    assert logged_in_client.get(f"/accounts/keys/{key_id}/revoke/").status_code == 405


def test_the_page_shows_the_readmes_boto3_client_for_this_server(logged_in_client):
    page = unescape(logged_in_client.get("/accounts/keys/").content.decode())
    assert 'endpoint_url="http://testserver"' in page
    assert "config=Config(inject_host_prefix=False)" in page
    assert 'aws_access_key_id="SS…"' in page  # no key made just now: placeholders
    made = unescape(logged_in_client.post("/accounts/keys/", {"description": "ci"}).content.decode())
    key = AccessKey.objects.get(description="ci")
    assert f'aws_access_key_id="{key.key_id}"' in made
    assert f'aws_secret_access_key="{key.secret}"' in made
