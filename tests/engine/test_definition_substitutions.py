"""Definition substitutions (`${Name}`) as SAM and CDK users keep definitions: stored and
edited with placeholders, resolved by `definitionSubstitutions` on create, update and start
(REST) and by `manage.py workflows deploy FILE --substitute K=V`; a definition with
placeholders left cannot start, and the error names them."""
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from engine.models import Execution, StateMachine

pytestmark = pytest.mark.django_db

# SAM's definition file: a quoted placeholder (a string) and a bare one (a number).
SAM_TEXT = """{
  "Comment": "Orders for ${Env}",
  "StartAt": "Pause",
  "States": {
    "Pause": {"Type": "Wait", "Seconds": ${WaitSeconds}, "Next": "Done"},
    "Done": {"Type": "Pass", "Parameters": {"table": "${TableName}", "waited.$": "$.w"},
             "End": true}
  }
}
"""


@pytest.fixture
def api(logged_in_client):
    def call(method, path, body=None):
        return getattr(logged_in_client, method)(path, json.dumps(body) if body is not None
                                                  else None, content_type="application/json")
    return call


def test_a_definition_with_placeholders_is_stored_and_shown_as_written(api):
    created = api("post", "/api/state-machines/", {"name": "orders", "definition": SAM_TEXT})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["definition_text"] == SAM_TEXT          # bare ${WaitSeconds} is not lost
    assert body["definition"]["States"]["Pause"]["Seconds"] == "${WaitSeconds}"
    assert body["unresolved_substitutions"] == ["Env", "TableName", "WaitSeconds"]
    check = api("post", "/api/state-machines/orders/validate/").json()
    assert check["valid"] is True
    assert {d["location"] for d in check["diagnostics"]} == {
        "/Comment", "/States/Pause/Seconds", "/States/Done/Parameters/table"}


def test_it_cannot_start_until_every_placeholder_has_a_value(api):
    api("post", "/api/state-machines/", {"name": "orders", "definition": SAM_TEXT})
    refused = api("post", "/api/state-machines/orders/executions/", {"input": {"w": 1}})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_definition"
    assert "${Env}, ${TableName}, ${WaitSeconds}" in refused.json()["detail"]
    assert not Execution.objects.exists()

    started = api("post", "/api/state-machines/orders/executions/", {
        "input": {"w": 1}, "definitionSubstitutions": {
            "Env": "prod", "TableName": "orders-prod", "WaitSeconds": 0}})
    assert started.status_code == 201, started.json()
    execution = Execution.objects.get(id=started.json()["id"])
    assert execution.definition["States"]["Pause"]["Seconds"] == 0     # a number, not "0"
    assert execution.definition["Comment"] == "Orders for prod"
    # The stored definition keeps its placeholders: the values were for this execution.
    assert StateMachine.objects.get(name="orders").definition_text == SAM_TEXT


def test_substitutions_given_on_create_and_update_are_applied_before_storing(api):
    api("post", "/api/state-machines/", {"name": "orders", "definition": SAM_TEXT,
                                         "definitionSubstitutions": {"Env": "dev"}})
    machine = StateMachine.objects.get(name="orders")
    assert machine.definition["Comment"] == "Orders for dev"
    assert "${Env}" not in machine.definition_text and "${WaitSeconds}" in machine.definition_text

    updated = api("patch", "/api/state-machines/orders/", {
        "definitionSubstitutions": {"WaitSeconds": "5", "TableName": "t"}})
    assert updated.status_code == 200
    body = updated.json()
    assert body["unresolved_substitutions"] == []
    assert body["definition"]["States"]["Pause"]["Seconds"] == 5
    assert body["definition_text"] == ""           # nothing left to keep the text for


def test_a_quoted_placeholder_in_a_number_field_is_refused(api):
    text = SAM_TEXT.replace("${WaitSeconds}", '"${WaitSeconds}"')
    refused = api("post", "/api/state-machines/", {"name": "orders", "definition": text})
    assert refused.status_code == 400
    assert [d["location"] for d in refused.json()["diagnostics"]] == ["/States/Pause/Seconds"]


def test_a_bare_placeholder_needs_a_json_value(api):
    api("post", "/api/state-machines/", {"name": "orders", "definition": SAM_TEXT})
    refused = api("post", "/api/state-machines/orders/executions/", {"definitionSubstitutions": {
        "Env": "x", "TableName": "t", "WaitSeconds": "soon"}})
    assert refused.status_code == 400
    assert "${WaitSeconds}" in refused.json()["detail"]


def test_substitutions_must_be_a_map_of_names_to_strings(api):
    bad = api("post", "/api/state-machines/", {"name": "o", "definition": SAM_TEXT,
                                               "definitionSubstitutions": ["Env"]})
    assert bad.status_code == 400


def deploy(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("workflows", "deploy", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_workflows_deploy_creates_then_updates_a_machine_from_a_file(tmp_path, user):
    path = tmp_path / "orders.asl.json"
    path.write_text(SAM_TEXT)
    out, warnings = deploy(str(path), "--owner", user.username, "--substitute", "Env=prod")
    assert out["created"] is True and out["name"] == "orders"
    assert out["unresolvedSubstitutions"] == ["TableName", "WaitSeconds"]
    assert "${WaitSeconds}" in warnings

    out, _ = deploy(str(path), "--owner", user.username, "--substitute", "Env=prod",
                    "--substitute", "TableName=orders", "--substitute", "WaitSeconds=3",
                    "--publish")
    assert out["created"] is False and out["unresolvedSubstitutions"] == []
    machine = StateMachine.objects.get(owner=user, name="orders")
    assert machine.definition["States"]["Pause"]["Seconds"] == 3
    assert machine.versions.get().definition == machine.definition


def test_workflows_deploy_reports_errors_with_their_locations(tmp_path, user):
    path = tmp_path / "bad.asl.json"
    path.write_text(SAM_TEXT.replace('"Next": "Done"', '"Next": "Nowhere"'))
    with pytest.raises(CommandError) as err:
        deploy(str(path), "--owner", user.username)
    assert "/States/Pause/Next: MISSING_TRANSITION_TARGET" in str(err.value)
    with pytest.raises(CommandError):
        deploy(str(path), "--owner", user.username, "--substitute", "no-equals-sign")


def run_asl(*args):
    out = io.StringIO()
    try:
        call_command("asl", "run", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def test_asl_run_takes_substitutions_and_refuses_a_definition_without_them(tmp_path):
    path = tmp_path / "orders.asl.json"
    path.write_text(SAM_TEXT)
    code, out = run_asl(str(path), "--input", '{"w": 2}', "--substitute", "Env=dev",
                        "--substitute", "TableName=t", "--substitute", "WaitSeconds=1")
    assert (code, out["status"], out["output"]) == (0, "SUCCEEDED", {"table": "t", "waited": 2})
    code, out = run_asl(str(path))
    assert code == 1 and out["result"] == "FAIL"
    assert out["diagnostics"][0]["code"] == "UNRESOLVED_SUBSTITUTIONS"
    assert "${WaitSeconds}" in out["diagnostics"][0]["message"]
