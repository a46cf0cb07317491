"""A Services palette item runs as dropped against a real service: the designer's "SQS
SendMessage" (found by searching "sqs") is dropped, pointed at a queue in moto's server,
saved and started on a real worker (`manage.py serve` with STEPSTUDIO_AWS_INTEGRATIONS on);
the message arrives in the queue, and the live view's step details show the call's request
and response."""
from __future__ import annotations

import json

import boto3
import pytest

from tests.designer.browser import DesignerPage, chromium, login  # noqa: F401 (fixture)
from tests.e2e.served import served_app
from tests.moto_support import aws_environment, moto_server

pytestmark = [pytest.mark.browser, pytest.mark.subprocess]

PASSWORD = "services-palette-password"
SETUP = f"""
import django
django.setup()
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("builder", password={PASSWORD!r})
"""
SQS_ITEM = "service:arn:aws:states:::sqs:sendMessage"


@pytest.fixture(scope="module")
def aws(tmp_path_factory):
    server, endpoint = moto_server()
    env = aws_environment(endpoint, tmp_path_factory.mktemp("aws"))
    yield env
    server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, aws):
    with served_app(tmp_path_factory.mktemp("services-var"), SETUP,
                    STEPSTUDIO_AWS_INTEGRATIONS="true", STEPSTUDIO_AWS_ALLOWED_SERVICES="sqs",
                    **aws) as (url, _, _):
        yield url


@pytest.fixture
def designer(chromium, server):  # noqa: F811
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, server, "builder", PASSWORD)
    d = DesignerPage(page, server)
    yield d
    context.close()
    assert not d.errors, d.errors


def test_a_service_item_calls_the_service_and_the_live_view_shows_the_call(designer, aws):
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=aws["AWS_ENDPOINT_URL"],
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    url = sqs.create_queue(QueueName="palette-orders")["QueueUrl"]

    d = designer.open()
    d.page.fill(".sd-palette-filter", "sqs")
    keys = d.page.eval_on_selector_all(".sd-palette [data-palette-item]", "els => els.map(e => e.dataset.paletteItem)")
    assert keys == [SQS_ITEM, SQS_ITEM + ".waitForTaskToken"]
    assert [h.lower() for h in d.page.locator(".sd-palette h3").all_inner_texts()] == ["services"]
    d.screenshot("services-palette-search")
    d.drag_palette_item(SQS_ITEM, to_edge="#start>end")
    built = d.asl()
    [name] = built["States"]
    state = built["States"][name]
    assert state["Resource"] == "arn:aws:states:::sqs:sendMessage"
    assert state["Parameters"] == {"QueueUrl": "https://sqs.REGION.amazonaws.com/ACCOUNT_ID/QUEUE_NAME",
                                   "MessageBody.$": "$"}
    # The author points it at a real queue.
    state["Parameters"]["QueueUrl"] = url
    d.load(built)

    d.page.click('[data-action="save"]')
    d.page.fill('[data-field="save-name"]', "send-order")
    d.page.click('[data-action="do-save"]')
    d.page.wait_for_url("**/designer/send-order/")
    d.page.click('[data-action="execute"]')
    d.page.fill('[data-field="execution-input"]', json.dumps({"order": 42}))
    d.page.click('[data-action="do-execute"]')
    d.page.wait_for_url("**/executions/*/")
    d.page.wait_for_selector('[data-live="status"]:text("SUCCEEDED")', timeout=60_000)

    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    assert json.loads(message["Body"]) == {"order": 42}

    d.page.locator(f'[data-state-name="{name}"]').click()
    call = d.page.locator('[data-live="service-call"]')
    call.wait_for()
    text = call.text_content()
    assert "sqs:sendMessage" in text
    assert '"MessageBody"' in text and "42" in text and url in text     # the request
    assert message["MessageId"] in text and "MD5OfMessageBody" in text  # the response
    call.scroll_into_view_if_needed()
    d.screenshot("live-service-call")
