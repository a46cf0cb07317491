"""Map ItemReader / ResultWriter (Distributed Map): requests and formats, no I/O.

AWS reads items from S3 (`arn:aws:states:::s3:getObject` / `s3:listObjectsV2`) and writes a
Map's results to S3 (ResultWriter). The Map state asks its driver for both with an
`InvokeTask` whose request has `kind: "item_reader"` / `"result_writer"`, answered like any
task: a mock (keyed by the *Map state's* name), a registered handler ("s3:getObject",
"s3:listObjectsV2"), or the real S3 (engine.asl.integrations.s3_items, when enabled).

The reader's answer is either the raw object (a mock or a handler: the body text or a
GetObject-like `{"Body": …}`, a ListObjectsV2-like `{"Contents": […]}`) or the items
already read (a list: the real reader streams the object through the same parsers and never
holds its whole text). Parsers follow AWS's ReaderConfig: InputType JSON / JSONL / CSV,
CSVHeaderLocation FIRST_ROW / GIVEN, CSVHeaders, CSVDelimiter, ItemsPointer (a JSON Pointer
to the array inside a JSON object), MaxItems.
"""
from __future__ import annotations

import csv
import io
import json
from itertools import islice
from typing import Iterable, Iterator

from ..errors import ErrorName, StatesError
from ..limits import dumps

DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}
# WriterConfig.Transformation when ResultWriter names no Resource / names one (AWS docs:
# COMPACT is the default without an export, NONE with one).
DEFAULT_TRANSFORMATION = {False: "COMPACT", True: "NONE"}


def reader_failed(cause: str) -> StatesError:
    return StatesError(ErrorName.ITEM_READER_FAILED, cause)


def _base_request(x, part: str, kind: str, params) -> dict:
    from .task import parse_resource
    info = parse_resource(x.state[part].get("Resource", ""))
    return {
        "state": x.name, "resource": x.state[part].get("Resource"), "kind": kind,
        "service": info["service"], "action": info["action"], "pattern": "request_response",
        "function": None, "parameters": params, "input": params, "attempt": 0, "task_token": None,
        "token": None, "timeout_seconds": None, "heartbeat_seconds": None, "credentials": None,
        "handler": f"{info['service']}:{info['action']}",
        "execution_id": x.cursor["ctx"].get("Execution", {}).get("Id"),
    }


def reader_request(x, env, max_items: int | None = None) -> dict:
    reader = x.state["ItemReader"]
    template = reader.get("Arguments", reader.get("Parameters"))
    params = x.df.render_template(template, env, "ItemReader") if template is not None else {}
    request = _base_request(x, "ItemReader", "item_reader", params)
    config = {k: v for k, v in (reader.get("ReaderConfig") or {}).items()
              if k not in ("MaxItems", "MaxItemsPath")}
    request["reader_config"] = dict(config, MaxItems=max_items) if max_items else config
    return request


# -- reading ---------------------------------------------------------------------------------

def csv_items(lines: Iterable[str], config: dict) -> Iterator[dict]:
    """Rows of a CSV text (any iterable of its lines: a file, a stream) as objects whose
    values are strings (AWS), keyed by the first row or CSVHeaders."""
    delimiter = DELIMITERS.get(config.get("CSVDelimiter", "COMMA"), ",")
    rows = csv.reader(lines, delimiter=delimiter)
    if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
        headers = config.get("CSVHeaders") or []
    else:
        headers = next(rows, None)
        if headers is None:
            return
    for row in rows:
        if not row:
            continue
        if len(row) != len(headers):
            raise reader_failed("CSV row and header lengths differ.")
        yield dict(zip(headers, row))


def jsonl_items(lines: Iterable[str]) -> Iterator:
    for line in lines:
        if line.strip():
            try:
                yield json.loads(line)
            except ValueError as ex:
                raise reader_failed(f"The JSONL object could not be parsed: {ex}") from None


def pointed(document, pointer: str | None):
    """RFC 6901 JSON Pointer (`/a/0/b`) into a document; ItemReaderFailed if it misses."""
    if not pointer:
        return document
    if not pointer.startswith("/"):
        raise reader_failed(f"The ItemsPointer '{pointer}' is not a JSON Pointer (it starts with '/').")
    value = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise reader_failed(f"The ItemsPointer '{pointer}' does not point to a value in the object.")
    return value


def json_items(text, config: dict):
    items = text
    if isinstance(text, (str, bytes)):
        try:
            items = json.loads(text)
        except ValueError as ex:
            raise reader_failed(f"The JSON object could not be parsed: {ex}") from None
    items = pointed(items, config.get("ItemsPointer"))
    if not isinstance(items, list):
        raise reader_failed("Attempting to map over non-iterable node.")
    return items


def parse_lines(lines: Iterable[str], config: dict, max_items: int | None) -> list:
    """CSV or JSONL items from lines, stopping after MaxItems (the rest is never read)."""
    kind = config.get("InputType", "JSON")
    found = csv_items(lines, config) if kind == "CSV" else jsonl_items(lines)
    return list(islice(found, max_items) if max_items else found)


def items_from(reader: dict, value, max_items: int | None) -> list:
    config = reader.get("ReaderConfig") or {}
    action = (reader.get("Resource") or "").rsplit(":", 1)[-1]
    if isinstance(value, list):
        items = value  # already items: a handler's list, or the real reader's
    elif action.startswith("listObjects"):
        # ListObjectsV2: one item per object (the response's Contents).
        items = value.get("Contents", []) if isinstance(value, dict) else value
    else:
        body = value.get("Body") if isinstance(value, dict) and "Body" in value else value
        kind = config.get("InputType", "JSON")
        if kind in ("CSV", "JSONL"):
            if isinstance(body, bytes):
                body = body.decode()
            if not isinstance(body, str):
                raise reader_failed(f"The {kind} object must be text.")
            items = parse_lines(io.StringIO(body, newline=None) if kind == "JSONL"
                                else io.StringIO(body, newline=""), config, None)
        else:
            items = json_items(body, config)
    if not isinstance(items, list):
        raise reader_failed("Attempting to map over non-iterable node.")
    if max_items is not None:
        # AWS: "MaxItems ... the Map state processes only the first N items".
        items = items[:max_items]
    return items


# -- writing ---------------------------------------------------------------------------------

def writer_config(x) -> dict:
    writer = x.state.get("ResultWriter") or {}
    config = dict(writer.get("WriterConfig") or {})
    config.setdefault("Transformation", DEFAULT_TRANSFORMATION["Resource" in writer])
    config.setdefault("OutputType", "JSON")
    return config


def child_record(map_run_arn: str, index: int, item_input, result: dict, when: str) -> dict:
    """A child workflow's entry in a ResultWriter file (AWS's Transformation NONE shape).
    Deviation: iterations run as frames of this execution, so their ARN and name are
    derived from the map run and the item's index, and StartDate/StopDate are when the
    results were collected."""
    run = map_run_arn.replace(":mapRun:", ":execution:", 1)
    name = f"{index}"
    status = result.get("status")
    record = {"ExecutionArn": f"{run}:{name}", "Input": dumps(item_input),
              "InputDetails": {"Included": True}, "Name": name, "RedriveCount": 0,
              "RedriveStatus": "NOT_REDRIVABLE",
              "RedriveStatusReason": f"Execution is {status} and cannot be redriven",
              "StartDate": when, "StateMachineArn": map_run_arn.rsplit(":", 1)[0]
              .replace(":mapRun:", ":stateMachine:", 1), "Status": status, "StopDate": when}
    if status == "SUCCEEDED":
        record.update(Output=dumps(result.get("output")), OutputDetails={"Included": True})
    else:
        record.update(Error=result.get("error"), Cause=result.get("cause"))
    return record


def transformed(records: list, transformation: str) -> list:
    """NONE: the records as they are; COMPACT: each child's output; FLATTEN: the outputs with
    array outputs spread into the list. A failed child keeps its record whatever the
    transformation (AWS: "If a child workflow execution fails, Step Functions returns its
    execution result unchanged", ResultWriter docs)."""
    if transformation == "NONE":
        return records
    out = []
    for r in records:
        if r["Status"] != "SUCCEEDED":
            out.append(r)
            continue
        value = json.loads(r["Output"])
        if transformation == "FLATTEN" and isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


def writer_request(x, env, records: list) -> dict:
    writer = x.state["ResultWriter"]
    template = writer.get("Arguments", writer.get("Parameters"))
    params = x.df.render_template(template, env, "ResultWriter") if template is not None else {}
    request = _base_request(x, "ResultWriter", "result_writer", params)
    request["writer_config"] = writer_config(x)
    request["map_run_arn"] = x.pending.get("map_run_arn")
    request["records"] = records
    return request


def manifest_key(prefix: str, map_run_arn: str) -> str:
    run_id = map_run_arn.rsplit(":", 1)[-1]
    return f"{prefix.rstrip('/')}/{run_id}/manifest.json" if prefix else f"{run_id}/manifest.json"


def result_writer_output(map_run_arn: str, params: dict) -> dict:
    """AWS's Map output when ResultWriter exports to S3: where the results were written."""
    params = params if isinstance(params, dict) else {}
    bucket, prefix = params.get("Bucket") or "", params.get("Prefix") or ""
    return {"MapRunArn": map_run_arn,
            "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key(prefix, map_run_arn)}}
