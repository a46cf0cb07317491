"""A Distributed Map reading its items from S3 (moto's server) and writing its results
back: CSV, JSON with ItemsPointer, JSONL, listObjectsV2, MaxItems, WriterConfig, the
failures' names — and a 1,000,000-line CSV streamed through the reader in bounded memory."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import tracemalloc

import pytest

from engine.asl import run_state_machine
from engine.asl.integrations import AwsInvoker, AwsSettings, s3_items
from tests.moto_support import aws_environment
from tests.support import free_port, stop_process, wait_until

ECHO = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}


def reading(key, config=None, writer=None, resource="arn:aws:states:::s3:getObject", **params):
    state = {"Type": "Map", "ItemProcessor": ECHO, "End": True,
             "ItemReader": {"Resource": resource, "ReaderConfig": config or {},
                            "Parameters": {"Bucket": "data", **({"Key": key} if key else {}), **params}}}
    if writer is not None:
        state["ResultWriter"] = writer
    return {"StartAt": "Each", "States": {"Each": state}}


def ok(result):
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return result.output


@pytest.fixture
def bucket(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="data")
    return s3


def test_csv_json_with_items_pointer_and_jsonl_objects_become_items(bucket, invoker):
    bucket.put_object(Bucket="data", Key="a.csv", Body=b'\xef\xbb\xbfname,note\nAda,"two\nlines"\nAlan,x\n')
    bucket.put_object(Bucket="data", Key="a.json", Body=json.dumps({"data": {"rows": [1, {"b": 2}]}}).encode())
    bucket.put_object(Bucket="data", Key="a.jsonl", Body=b'{"n": 1}\n\n{"n": 2}\n')
    bucket.put_object(Bucket="data", Key="given.psv", Body=b"1|a\n2|b\n")
    assert ok(run_state_machine(reading("a.csv", {"InputType": "CSV"}), {}, fallback_invoker=invoker)) == [
        {"name": "Ada", "note": "two\nlines"}, {"name": "Alan", "note": "x"}]
    assert ok(run_state_machine(reading("a.json", {"InputType": "JSON", "ItemsPointer": "/data/rows"}), {},
                                fallback_invoker=invoker)) == [1, {"b": 2}]
    assert ok(run_state_machine(reading("a.jsonl", {"InputType": "JSONL"}), {},
                                fallback_invoker=invoker)) == [{"n": 1}, {"n": 2}]
    given = {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["id", "v"],
             "CSVDelimiter": "PIPE", "MaxItems": 1}
    assert ok(run_state_machine(reading("given.psv", given), {}, fallback_invoker=invoker)) == [
        {"id": "1", "v": "a"}]


def test_list_objects_v2_gives_one_item_per_object_up_to_max_items(bucket, invoker):
    for n in range(3):
        bucket.put_object(Bucket="data", Key=f"in/{n}.txt", Body=b"x" * (n + 1))
    bucket.put_object(Bucket="data", Key="other/skip.txt", Body=b"")
    out = ok(run_state_machine(reading(None, {}, resource="arn:aws:states:::s3:listObjectsV2",
                                       Prefix="in/"), {}, fallback_invoker=invoker))
    assert [(o["Key"], o["Size"]) for o in out] == [("in/0.txt", 1), ("in/1.txt", 2), ("in/2.txt", 3)]
    assert set(out[0]) == {"Etag", "Key", "LastModified", "Size", "StorageClass"}
    assert isinstance(out[0]["LastModified"], int)
    limited = reading(None, {"MaxItems": 2}, resource="arn:aws:states:::s3:listObjectsV2", Prefix="in/")
    assert len(ok(run_state_machine(limited, {}, fallback_invoker=invoker))) == 2


def test_reader_failures_are_item_reader_failed_with_the_services_cause(bucket, invoker):
    missing = run_state_machine(reading("nope.csv", {"InputType": "CSV"}), {}, fallback_invoker=invoker)
    assert (missing.status, missing.error) == ("FAILED", "States.ItemReaderFailed")
    assert missing.cause.startswith("The specified key does not exist.")
    bucket.put_object(Bucket="data", Key="bad.csv", Body=b"a,b\n1\n")
    bad = run_state_machine(reading("bad.csv", {"InputType": "CSV"}), {}, fallback_invoker=invoker)
    assert (bad.error, bad.cause) == ("States.ItemReaderFailed", "CSV row and header lengths differ.")
    bucket.put_object(Bucket="data", Key="obj.json", Body=b'{"a": 1}')
    pointer = run_state_machine(reading("obj.json", {"ItemsPointer": "/missing"}), {}, fallback_invoker=invoker)
    assert pointer.error == "States.ItemReaderFailed" and "/missing" in pointer.cause


def _written(bucket, output):
    details = output["ResultWriterDetails"]
    manifest = json.loads(bucket.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    files = {status: [bucket.get_object(Bucket="data", Key=f["Key"])["Body"].read().decode()
                      for f in entries] for status, entries in manifest["ResultFiles"].items()}
    return manifest, files


def test_result_writer_writes_the_manifest_and_result_files_as_aws_does(bucket, invoker):
    bucket.put_object(Bucket="data", Key="n.json", Body=b'[1, 2, 0, 4]')
    definition = reading("n.json", {}, writer={"Resource": "arn:aws:states:::s3:putObject",
                                                "Parameters": {"Bucket": "data", "Prefix": "runs/"}})
    each = definition["States"]["Each"]
    each["ToleratedFailureCount"] = 1
    each["ItemProcessor"] = copy.deepcopy(ECHO)
    each["ItemProcessor"]["States"] = {"Echo": {"Type": "Choice", "Choices": [
        {"Variable": "$", "NumericEquals": 0, "Next": "Zero"}], "Default": "Fine"},
        "Zero": {"Type": "Fail", "Error": "ZeroItem", "Cause": "no zeros"},
        "Fine": {"Type": "Pass", "End": True}}
    out = ok(run_state_machine(definition, {}, fallback_invoker=invoker))
    run_id = out["MapRunArn"].rsplit(":", 1)[-1]
    assert out["ResultWriterDetails"] == {"Bucket": "data", "Key": f"runs/{run_id}/manifest.json"}
    manifest, files = _written(bucket, out)
    assert manifest["DestinationBucket"] == "data" and manifest["MapRunArn"] == out["MapRunArn"]
    assert manifest["ResultFiles"]["PENDING"] == []
    assert [f["Key"] for f in manifest["ResultFiles"]["SUCCEEDED"]] == [f"runs/{run_id}/SUCCEEDED_0.json"]
    assert manifest["ResultFiles"]["SUCCEEDED"][0]["Size"] == len(files["SUCCEEDED"][0].encode())
    succeeded = json.loads(files["SUCCEEDED"][0])
    assert [json.loads(r["Output"]) for r in succeeded] == [1, 2, 4]
    assert {r["Status"] for r in succeeded} == {"SUCCEEDED"}
    assert {"ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails",
            "StartDate", "StopDate", "StateMachineArn", "Status"} <= set(succeeded[0])
    [failed] = json.loads(files["FAILED"][0])
    assert (failed["Status"], failed["Error"], failed["Cause"], failed["Input"]) == ("FAILED", "ZeroItem", "no zeros", "0")


def test_writer_config_jsonl_and_flatten(bucket, invoker):
    bucket.put_object(Bucket="data", Key="n.json", Body=b'[[1, 2], [3]]')
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "data", "Prefix": "f"},
              "WriterConfig": {"OutputType": "JSONL", "Transformation": "FLATTEN"}}
    out = ok(run_state_machine(reading("n.json", {}, writer=writer), {}, fallback_invoker=invoker))
    manifest, files = _written(bucket, out)
    assert manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].endswith("/SUCCEEDED_0.jsonl")
    assert files["SUCCEEDED"][0] == "1\n2\n3\n"
    # Without a Resource nothing is exported: the transformation shapes the Map's output.
    compact = {"WriterConfig": {"Transformation": "FLATTEN"}}
    assert ok(run_state_machine(reading("n.json", {}, writer=compact), {}, fallback_invoker=invoker)) == [1, 2, 3]


def test_a_writer_failure_is_result_writer_failed(bucket, invoker):
    bucket.put_object(Bucket="data", Key="n.json", Body=b'[1]')
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "no-such-bucket"}}
    result = run_state_machine(reading("n.json", {}, writer=writer), {}, fallback_invoker=invoker)
    assert (result.status, result.error) == ("FAILED", "States.ResultWriterFailed")
    assert "The specified bucket does not exist" in result.cause
    assert [e["type"] for e in result.events][-3:] == ["MapRunFailed", "MapStateFailed", "ExecutionFailed"]


@pytest.fixture
def moto_process(monkeypatch, tmp_path):
    """moto's server in a process of its own: this process's memory is then the reader's."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in aws_environment(endpoint, tmp_path).items():
        monkeypatch.setenv(name, value)
    import boto3
    s3 = boto3.client("s3", region_name="us-east-1")
    wait_until(lambda: _answers(s3), 60, what="moto's server")
    yield s3
    stop_process(process)


def _answers(s3):
    try:
        s3.list_buckets()
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


def test_a_million_line_csv_streams_through_the_reader_in_bounded_memory(moto_process):
    lines = 1_000_000
    body = b"id,word\n" + b"".join(b"%d,w%d\n" % (i, i % 97) for i in range(lines))
    moto_process.create_bucket(Bucket="big")
    moto_process.put_object(Bucket="big", Key="big.csv", Body=body)
    size = len(body)
    del body
    invoker = AwsInvoker(AwsSettings(enabled=True))
    request = {"kind": "item_reader", "action": "getObject", "parameters": {"Bucket": "big", "Key": "big.csv"},
               "reader_config": {"InputType": "CSV", "MaxItems": 5}, "execution_id": None}
    # MaxItems stops early and returns just those items (and this builds the S3 client, whose
    # service model is not the reader's memory).
    assert s3_items.read_items(invoker.clients, request).value[-1] == {"id": "4", "word": "w4"}
    del request["reader_config"]["MaxItems"]
    tracemalloc.start()
    try:
        count, last = 0, None
        for last in s3_items.iter_items(invoker.clients, request):
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == lines and last == {"id": str(lines - 1), "word": f"w{(lines - 1) % 97}"}
    # The object is ~11 MB; reading it never held more than a small part of it.
    assert size > 10_000_000 and peak < size / 4, (size, peak)
