"""Map ItemReader / ResultWriter (Distributed Map), local semantics.

AWS reads items from S3 (`arn:aws:states:::s3:getObject` / `s3:listObjectsV2`). Locally the
Map state asks its driver for the reader's raw result with an `InvokeTask` whose request has
`kind: "item_reader"` — answered like any task by a mock (keyed by the *Map state's* name)
or a registered handler ("s3:getObject", "s3:listObjectsV2"). This module turns that raw
result into the item list as AWS's ReaderConfig describes (InputType JSON / JSONL / CSV,
CSVHeaderLocation FIRST_ROW / GIVEN, MaxItems).
"""
from __future__ import annotations

import csv
import io
import json

from ..errors import ErrorName, StatesError


def reader_failed(cause: str) -> StatesError:
    return StatesError(ErrorName.ITEM_READER_FAILED, cause)


def reader_request(x, env) -> dict:
    from .task import parse_resource
    reader = x.state["ItemReader"]
    info = parse_resource(reader.get("Resource", ""))
    template = reader.get("Arguments", reader.get("Parameters"))
    params = x.df.render_template(template, env, "ItemReader") if template is not None else {}
    return {
        "state": x.name, "resource": reader.get("Resource"), "kind": "item_reader",
        "service": info["service"], "action": info["action"], "pattern": "request_response",
        "function": None, "parameters": params, "input": params, "attempt": 0, "task_token": None,
        "token": None, "timeout_seconds": None, "heartbeat_seconds": None, "credentials": None,
        "handler": f"{info['service']}:{info['action']}",
        "execution_id": x.cursor["ctx"].get("Execution", {}).get("Id"),
    }


def items_from(reader: dict, value, max_items: int | None) -> list:
    config = reader.get("ReaderConfig") or {}
    action = (reader.get("Resource") or "").rsplit(":", 1)[-1]
    if action.startswith("listObjects"):
        # ListObjectsV2: one item per object (the response's Contents).
        items = value.get("Contents", []) if isinstance(value, dict) else value
    else:
        body = value.get("Body") if isinstance(value, dict) and "Body" in value else value
        kind = config.get("InputType", "JSON")
        if kind == "CSV":
            items = _csv_items(body, config)
        elif kind == "JSONL":
            text = body if isinstance(body, str) else ""
            try:
                items = [json.loads(line) for line in text.splitlines() if line.strip()]
            except ValueError as ex:
                raise reader_failed(f"The JSONL object could not be parsed: {ex}") from None
        else:
            items = body
            if isinstance(body, (str, bytes)):
                try:
                    items = json.loads(body)
                except ValueError as ex:
                    raise reader_failed(f"The JSON object could not be parsed: {ex}") from None
    if not isinstance(items, list):
        raise reader_failed("Attempting to map over non-iterable node.")
    if max_items is not None:
        # AWS: "MaxItems ... the Map state processes only the first N items".
        items = items[:max_items]
    return items


_DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}


def _csv_items(body, config) -> list:
    text = body.decode() if isinstance(body, bytes) else body
    if not isinstance(text, str):
        raise reader_failed("The CSV object must be text.")
    delimiter = _DELIMITERS.get(config.get("CSVDelimiter", "COMMA"), ",")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
        headers = config.get("CSVHeaders") or []
    else:
        if not rows:
            return []
        headers, rows = rows[0], rows[1:]
    # AWS: every CSV value is a string; a row shorter than the headers is an error.
    out = []
    for row in rows:
        if not row:
            continue
        if len(row) != len(headers):
            raise reader_failed("CSV row and header lengths differ.")
        out.append(dict(zip(headers, row)))
    return out


def result_writer_output(x, map_run_arn: str) -> dict:
    """AWS's Map output when ResultWriter is set: where the results were written.

    Deviation: nothing is written to S3 locally; the Map's own result is this summary, as
    in AWS.
    """
    writer = x.state.get("ResultWriter") or {}
    params = writer.get("Arguments", writer.get("Parameters")) or {}
    bucket = params.get("Bucket") or params.get("Bucket.$") or ""
    prefix = params.get("Prefix") or ""
    run_id = map_run_arn.rsplit(":", 1)[-1]
    key = f"{prefix.rstrip('/')}/{run_id}/manifest.json" if prefix else f"{run_id}/manifest.json"
    return {"MapRunArn": map_run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": key}}
