"""A Distributed Map's ItemReader and ResultWriter against real S3 (through boto3).

Reading streams: a CSV or JSONL object is read line by line from the response's
StreamingBody and parsed as it arrives (engine.asl.states.item_reader's parsers), so the
object's text is never held whole, and MaxItems stops the download after the N-th item.
A JSON object is one document and is parsed whole. `s3:listObjectsV2` pages through the
listing (AWS's item per object: Etag, Key, LastModified in epoch seconds, Size,
StorageClass).

Writing follows AWS's layout under `Prefix/<map run id>/`: `SUCCEEDED_n.json`,
`FAILED_n.json` (JSONL: `.jsonl`), at most `RESULT_FILE_ITEMS` entries a file, and
`manifest.json` listing them:

    {"DestinationBucket": B, "MapRunArn": ARN,
     "ResultFiles": {"FAILED": [{"Key", "Size"}], "PENDING": [], "SUCCEEDED": [...]}}

WriterConfig: OutputType JSON (an array a file) or JSONL (a line an entry); Transformation
NONE (the child executions' records: ExecutionArn, Input, Output, Status …), COMPACT (their
outputs) or FLATTEN (outputs, arrays spread). Failed children keep their records.
"""
from __future__ import annotations

import codecs
import json
from itertools import islice

from botocore.exceptions import BotoCoreError, ClientError

from ..errors import StatesError
from ..states import item_reader
from ..step import TaskResult
from . import calls

RESULT_FILE_ITEMS = 10_000
LINE_CHUNK_BYTES = 64 * 1024


def _client(clients, request):
    region = calls._region(request, clients)
    return clients.client("s3", region)


def _lines(body):
    """The object's text, line by line (line ends kept: a quoted CSV field may span lines)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for raw in body.iter_lines(chunk_size=LINE_CHUNK_BYTES, keepends=True):
        yield decoder.decode(raw)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _listed(client, params: dict, max_items: int | None):
    for page in client.get_paginator("list_objects_v2").paginate(**params):
        for obj in page.get("Contents") or []:
            yield {"Etag": obj.get("ETag"), "Key": obj.get("Key"),
                   "LastModified": int(obj["LastModified"].timestamp())
                   if obj.get("LastModified") else None,
                   "Size": obj.get("Size"), "StorageClass": obj.get("StorageClass")}


def iter_items(clients, request: dict):
    """The reader's items one by one, as the object streams in (CSV, JSONL, listings; a JSON
    document is parsed whole). Raises StatesError, botocore's errors or UnicodeDecodeError."""
    params = request.get("parameters") or {}
    config = request.get("reader_config") or {}
    action = request.get("action") or ""
    client = _client(clients, request)
    if action.startswith("listObjects"):
        yield from _listed(client, params, config.get("MaxItems"))
        return
    if action != "getObject":
        raise StatesError("States.Runtime", f"An ItemReader reads with s3:getObject or "
                                            f"s3:listObjectsV2, not '{request.get('resource')}'")
    body = client.get_object(**params)["Body"]
    try:
        kind = config.get("InputType", "JSON")
        if kind == "CSV":
            yield from item_reader.csv_items(_lines(body), config)
        elif kind == "JSONL":
            yield from item_reader.jsonl_items(_lines(body))
        else:
            yield from item_reader.json_items(codecs.decode(body.read(), "utf-8-sig"), config)
    finally:
        body.close()


def read_items(clients, request: dict) -> TaskResult:
    """The Map's items (at most MaxItems: the rest of the object is not downloaded)."""
    max_items = (request.get("reader_config") or {}).get("MaxItems")
    try:
        found = iter_items(clients, request)
        return TaskResult(True, list(islice(found, max_items) if max_items else found))
    except StatesError as exc:
        return TaskResult(False, None, exc.error, exc.cause)
    except UnicodeDecodeError as exc:
        return TaskResult(False, None, "States.ItemReaderFailed", f"The object is not UTF-8 text: {exc}")
    except (ClientError, BotoCoreError) as exc:
        return calls._failure_from(exc, "s3", _client(clients, request).meta.service_model, True)


def _encoded(entries: list, output_type: str) -> bytes:
    if output_type == "JSONL":
        return "".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n"
                       for e in entries).encode("utf-8")
    return json.dumps(entries, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def write_results(clients, request: dict, per_file: int = RESULT_FILE_ITEMS) -> TaskResult:
    params = request.get("parameters") or {}
    config = request.get("writer_config") or {}
    bucket, prefix = params.get("Bucket"), params.get("Prefix") or ""
    if not isinstance(bucket, str) or not bucket:
        return TaskResult(False, None, "States.ResultWriterFailed",
                          "The ResultWriter's Parameters name no Bucket")
    run_arn = request.get("map_run_arn") or ""
    manifest = item_reader.manifest_key(prefix, run_arn)
    folder = manifest.rsplit("/", 1)[0]
    output_type = config.get("OutputType", "JSON")
    extension = "jsonl" if output_type == "JSONL" else "json"
    records = request.get("records") or []
    groups = {"SUCCEEDED": [r for r in records if r.get("Status") == "SUCCEEDED"],
              "FAILED": [r for r in records if r.get("Status") != "SUCCEEDED"]}
    groups["SUCCEEDED"] = item_reader.transformed(groups["SUCCEEDED"],
                                                  config.get("Transformation", "NONE"))
    files: dict[str, list] = {"FAILED": [], "PENDING": [], "SUCCEEDED": []}
    client = None
    try:
        client = _client(clients, request)
        for status, entries in groups.items():
            for n, start in enumerate(range(0, len(entries), per_file)):
                key = f"{folder}/{status}_{n}.{extension}"
                data = _encoded(entries[start:start + per_file], output_type)
                client.put_object(Bucket=bucket, Key=key, Body=data,
                                  ContentType="application/json")
                files[status].append({"Key": key, "Size": len(data)})
        body = json.dumps({"DestinationBucket": bucket, "MapRunArn": run_arn,
                           "ResultFiles": files}, separators=(",", ":")).encode("utf-8")
        client.put_object(Bucket=bucket, Key=manifest, Body=body, ContentType="application/json")
    except (ClientError, BotoCoreError) as exc:
        if client is None:
            return TaskResult(False, None, "States.ResultWriterFailed", str(exc))
        failed = calls._failure_from(exc, "s3", client.meta.service_model, True)
        return TaskResult(False, None, failed.error, failed.cause)
    return TaskResult(True, {"ResultWriterDetails": {"Bucket": bucket, "Key": manifest}})
