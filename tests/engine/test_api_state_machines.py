"""/api/state-machines/, /api/validate/, versions — docs/api.md, through Django's test client."""
import pytest

pytestmark = pytest.mark.django_db

HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}
OTHER = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}


@pytest.fixture
def api(logged_in_client):
    return logged_in_client


def create(api, name="hello", definition=HELLO, **extra):
    return api.post("/api/state-machines/", {"name": name, "definition": definition, **extra},
                    content_type="application/json")


def test_create_answers_201_with_the_state_machine(api, user):
    response = create(api, description="greets")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"name", "arn", "type", "definition", "definition_text",
                         "unresolved_substitutions", "created", "updated", "latest_version",
                         "example_input"}
    assert body["name"] == "hello"
    assert body["type"] == "STANDARD"
    assert body["definition"] == HELLO
    assert body["latest_version"] is None
    assert body["arn"].endswith(":stateMachine:hello")


def test_create_accepts_the_definition_as_text(api):
    import json

    response = create(api, definition=json.dumps(HELLO), type="EXPRESS")
    assert response.status_code == 201
    assert response.json()["definition"] == HELLO
    assert response.json()["type"] == "EXPRESS"


def test_create_with_an_invalid_definition_answers_400_with_diagnostics(api):
    response = create(api, definition={"StartAt": "Missing", "States": {}})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_definition"
    assert body["diagnostics"]
    assert set(body["diagnostics"][0]) == {"code", "severity", "message", "location", "explanation", "field"}


def test_create_with_a_duplicate_name_answers_409(api):
    create(api)
    response = create(api)
    assert response.status_code == 409
    assert response.json()["code"] == "already_exists"


def test_create_with_a_bad_name_answers_400(api):
    response = create(api, name="no spaces")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_name"


def test_missing_fields_answer_400_in_the_error_shape(api):
    response = api.post("/api/state-machines/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "name: This field is required.", "code": "invalid",
                                "diagnostics": []}


def test_list_is_paginated_and_holds_my_machines(api):
    create(api, "a")
    create(api, "b")
    body = api.get("/api/state-machines/").json()
    assert [m["name"] for m in body["results"]] == ["a", "b"]
    assert body["next"] is None


def test_get_patch_delete_by_name(api):
    create(api)
    assert api.get("/api/state-machines/hello/").json()["definition"] == HELLO

    patched = api.patch("/api/state-machines/hello/", {"definition": OTHER},
                        content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["definition"] == OTHER

    assert api.delete("/api/state-machines/hello/").status_code == 204
    missing = api.get("/api/state-machines/hello/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_patch_with_an_invalid_definition_keeps_the_old_one(api):
    create(api)
    response = api.patch("/api/state-machines/hello/", {"definition": {"States": {}}},
                         content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_definition"
    assert api.get("/api/state-machines/hello/").json()["definition"] == HELLO


def test_put_is_not_allowed(api):
    create(api)
    response = api.put("/api/state-machines/hello/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_validate_reports_diagnostics_without_storing(api):
    ok = api.post("/api/validate/", {"definition": HELLO}, content_type="application/json")
    assert ok.json() == {"valid": True, "diagnostics": []}

    bad = api.post("/api/validate/", {"definition": '{"StartAt": "X", "States": {}}'},
                   content_type="application/json")
    assert bad.status_code == 200
    assert bad.json()["valid"] is False
    assert bad.json()["diagnostics"][0]["severity"] == "ERROR"


def test_validate_of_a_stored_machine(api):
    create(api)
    response = api.post("/api/state-machines/hello/validate/")
    assert response.json() == {"valid": True, "diagnostics": []}


def test_versions_are_published_listed_and_fetched(api):
    create(api)
    first = api.post("/api/state-machines/hello/versions/", {"description": "v1"},
                     content_type="application/json")
    assert first.status_code == 201
    assert first.json()["version"] == 1
    assert first.json()["definition"] == HELLO

    second = api.post("/api/state-machines/hello/versions/",
                      {"description": "v2", "definition": OTHER},
                      content_type="application/json")
    assert second.json()["version"] == 2
    # The definition given with a version is also saved as the current one.
    machine = api.get("/api/state-machines/hello/").json()
    assert machine["definition"] == OTHER
    assert machine["latest_version"] == 2

    assert api.get("/api/state-machines/").json()["results"][0]["latest_version"] == 2
    unchanged = api.post("/api/state-machines/hello/versions/", {"description": "v3"},
                         content_type="application/json")
    assert (unchanged.status_code, unchanged.json()["version"]) == (200, 2)
    listed = api.get("/api/state-machines/hello/versions/").json()
    assert [v["version"] for v in listed["results"]] == [2, 1]
    one = api.get("/api/state-machines/hello/versions/1/").json()
    assert one == {"version": 1, "description": "v1", "definition": HELLO,
                   "definition_text": "", "created": one["created"]}
    assert api.get("/api/state-machines/hello/versions/9/").status_code == 404


def test_someone_elses_machine_is_not_found(api, other_user):
    from django.test import Client

    create(api)
    bob = Client()
    bob.force_login(other_user)
    assert bob.get("/api/state-machines/hello/").status_code == 404
    assert bob.delete("/api/state-machines/hello/").status_code == 404
    assert bob.get("/api/state-machines/").json()["results"] == []
    # Bob's own "hello" lives in his namespace, beside Alice's.
    assert create(bob).status_code == 201


def test_staff_list_everyones_machines(api, staff_user):
    from django.test import Client

    create(api)
    staff = Client()
    staff.force_login(staff_user)
    assert [m["name"] for m in staff.get("/api/state-machines/").json()["results"]] == ["hello"]


def test_task_handlers_lists_the_http_task_for_the_palette(api):
    from engine.asl.handlers import task_handler, unregister

    # A name of its own: re-registering and then unregistering a sample's handler (greet)
    # would remove it for every later test in this process.
    @task_handler("palette-probe")
    def greet(payload):
        """Say hello to someone."""
        return {"greeting": f"hello {payload}"}

    try:
        results = api.get("/api/task-handlers/").json()["results"]
    finally:
        unregister("palette-probe")
    by_name = {r["name"]: r for r in results}
    assert by_name["palette-probe"]["description"] == "Say hello to someone."
    assert by_name["palette-probe"]["state_template"]["Type"] == "Task"
    assert by_name["palette-probe"]["state_template"]["Parameters"]["FunctionName"] == "palette-probe"
    assert by_name["http:invoke"]["state_template"]["Resource"] == "arn:aws:states:::http:invoke"


def test_validate_explains_each_finding_and_points_at_its_field(api):
    definition = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a"}], "Default": "D"},
        "D": {"Type": "Succeed"}}}
    (finding,) = api.post("/api/validate/", {"definition": definition},
                          content_type="application/json").json()["diagnostics"]
    assert finding["message"] == "These fields are required: [Next]"  # AWS's words, unchanged
    assert finding["location"] == "/States/C/Choices/0"
    assert finding["explanation"].startswith("Rule #1 Next: choose the state this rule goes to")
    assert finding["field"] == "/States/C/Choices/0/Next"
