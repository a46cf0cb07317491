"""GET / is the home page; other methods on / belong to the AWS protocol in engine.urls."""

import pytest


@pytest.mark.django_db
def test_an_unsigned_aws_call_to_root_gets_an_aws_error_not_a_login_redirect(client):
    response = client.post("/", data="{}", content_type="application/x-amz-json-1.0",
                           HTTP_X_AMZ_TARGET="AWSStepFunctions.ListStateMachines")
    assert response.status_code not in (302, 405)
    assert response["Content-Type"].startswith("application/x-amz-json")


@pytest.mark.django_db
def test_get_root_is_still_the_login_protected_home_page(client, logged_in_client):
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
    assert b"<h1>State machines" in logged_in_client.get("/").content
