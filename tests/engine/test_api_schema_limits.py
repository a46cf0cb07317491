"""The OpenAPI schema states the limits the API enforces, so a request the schema calls valid
is not refused for its form: schemathesis' positive_data_acceptance on the operations whose
limits the schema carries (page_size 1–500, a non-empty token, a definition that is an object
or a string), plus the boundaries by hand."""
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from schemathesis.checks import ignored_auth
from tests.engine.test_api_schemathesis import (auth_header, keep_the_test_transaction,  # noqa: F401
                                                schema)

pytestmark = pytest.mark.django_db

LIMITED = schema.include(path_regex=r"^/api/(task-tokens/|validate/$|activities/$|"
                                    r"state-machines/$|executions/$)", method=["GET", "POST"])


@LIMITED.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_schema_valid_requests_are_not_refused_for_their_form(case, auth_header):  # noqa: F811
    if case.method == "POST" and case.path in ("/api/activities/", "/api/state-machines/"):
        pytest.skip("creation: a valid name may already exist (409)")
    response = case.call(headers=auth_header)
    # (Every call carries a valid token; authentication is test_api_auth.py's.)
    case.validate_response(response, excluded_checks=[ignored_auth])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_page_size_bounds_are_the_schemas(user):
    client = client_for(user)
    assert client.get("/api/state-machines/?page_size=500").status_code == 200
    assert client.get("/api/state-machines/?page_size=1").status_code == 200
    for bad in ("0", "501"):
        assert client.get(f"/api/state-machines/?page_size={bad}").status_code == 400


def test_a_token_is_refused_for_its_form_only_when_empty(user):
    client = client_for(user)
    for token, status in (("", 400), ("   ", 404), ("x", 404)):
        response = client.post("/api/task-tokens/heartbeat/", json.dumps({"token": token}),
                               content_type="application/json")
        assert response.status_code == status, (token, response.json())
