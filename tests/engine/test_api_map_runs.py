"""Map runs in the REST API and the admin: the parent's detail lists its map runs and their
children, a child names its parent, lists leave children out, stop/redrive of a child are
refused, the admin shows a map run and links a child to it."""
import pytest
from django.test import Client

from engine import services
from engine.models import Execution, MapRun, StateMachine

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mapped(user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition={
        "StartAt": "Each", "States": {"Each": {
            "Type": "Map", "ItemsPath": "$.orders", "MaxConcurrency": 2, "End": True,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                              "StartAt": "Price", "States": {"Price": {
                                  "Type": "Pass", "Parameters": {"price.$": "$.n"}, "End": True}}}}}})
    # Pass-only children: the start runs the whole fan-out inline (no worker needed).
    parent = services.start_execution(machine, {"orders": [{"n": 1}, {"n": 2}]})
    parent.refresh_from_db()
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    return parent, MapRun.objects.get(execution=parent)


def test_the_rest_api_shows_map_runs_and_their_children(logged_in_client, other_user, mapped):
    parent, run = mapped
    data = logged_in_client.get(f"/api/executions/{parent.id}/").json()
    assert [r["arn"] for r in data["map_runs"]] == [run.arn]
    shown = data["map_runs"][0]
    assert (shown["state"], shown["label"], shown["status"], shown["max_concurrency"]) == \
        ("Each", "Each", "SUCCEEDED", 2)
    assert shown["item_counts"]["succeeded"] == 2 and shown["item_counts"]["total"] == 2
    children = Execution.objects.filter(map_run=run)
    assert sorted(c["id"] for c in shown["children"]) == sorted(str(c.id) for c in children)
    child = children.first()
    detail = logged_in_client.get(f"/api/executions/{child.id}/").json()
    assert detail["arn"] == child.arn and ":execution:orders/Each:" in child.arn
    assert (detail["parent"]["id"], detail["parent"]["state"]) == (str(parent.id), "Each")
    assert detail["output"] == {"price": child.input["n"]}
    history = logged_in_client.get(f"/api/executions/{child.id}/history/").json()["events"]
    assert [e["type"] for e in history] == ["ExecutionStarted", "PassStateEntered",
                                            "PassStateExited", "ExecutionSucceeded"]
    listed = logged_in_client.get("/api/executions/").json()["results"]
    assert [e["id"] for e in listed] == [str(parent.id)]
    refused = logged_in_client.post(f"/api/executions/{child.id}/redrive/",
                                    content_type="application/json")
    assert refused.status_code == 400 and "child workflow execution" in refused.content.decode()
    # Someone else sees neither the parent nor its children.
    other = Client()
    other.force_login(other_user)
    assert other.get(f"/api/executions/{child.id}/").status_code == 404


def test_the_admin_shows_a_map_run_and_links_a_child_to_it(staff_user, mapped):
    parent, run = mapped
    client = Client()
    client.force_login(staff_user)
    page = client.get(f"/admin/engine/maprun/{run.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert run.arn in text and "succeeded 2" in text and f"/admin/engine/execution/{parent.pk}/" in text
    listed = client.get(f"/admin/engine/execution/?map_run__id__exact={run.pk}")
    assert listed.status_code == 200
    child = Execution.objects.filter(map_run=run).first()
    page = client.get(f"/admin/engine/execution/{child.pk}/change/").content.decode()
    assert f"/admin/engine/maprun/{run.pk}/change/" in page
    assert client.get("/admin/engine/maprun/").status_code == 200
