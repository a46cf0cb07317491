"""Requests and responses between ASL's JSON and botocore's Python values.

Into botocore (aws-sdk): member names as the definition spells them in PascalCase
(`TaskToken`) are matched to the API's own (`taskToken`, corpus
`task__sfn_send_task_outcome_*`), at every level of the input shape; a blob member is sent
as its value's JSON text, strings included (AWS: `s3:putObject` with `"Body": {"Dict":
"Value"}` stores `{"Dict":"Value"}`, with `"Body": "text data"` stores `"text data"` in
quotes — corpus `task__s3_put_object_*`).

Out of botocore: the response without boto3's `ResponseMetadata`; structure members in
PascalCase as the SDK for Java v2 spells them (`executionArn` → `ExecutionArn`; map keys
are data and stay as they are); timestamps as ISO-8601 UTC text; a streamed or binary body
as its text (S3 `getObject`'s `Body` is the object's text, corpus `task__s3_get_object_*`),
or base64 when it is not UTF-8; other blobs as base64.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal

from botocore.response import StreamingBody

# Objects larger than this are not read into a state's result: the result could not be
# stored anyway (256 KiB payload limit), and the worker's memory is not the object store.
MAX_BODY_BYTES = 1024 * 1024


def _text(value: str | bytes):
    if isinstance(value, str):
        return value
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(value).decode("ascii")


def iso(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    text = value.isoformat(timespec="milliseconds") if value.microsecond else value.isoformat()
    return text + "Z"


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def _text_blob(shape, service) -> bool:
    """A blob that carries text or a JSON document (S3 object bodies, Lambda payloads) rather
    than binary data that JSON gives as base64 (DynamoDB `B`, KMS ciphertexts)."""
    return bool(shape.serialization.get("streaming")) or \
        shape.name in TEXT_BLOB_SHAPES.get(service, ())


# Non-streaming blob shapes whose content is a JSON document, by boto3 service name.
TEXT_BLOB_SHAPES = {"lambda": {"Blob"}}


def to_json(value, shape=None, service=None):
    """botocore's response value → JSON (see the module docstring); `shape`: the value's
    botocore shape, when known (member names are then written in PascalCase), of boto3's
    `service`."""
    kind = getattr(shape, "type_name", None)
    if kind == "blob" and isinstance(value, (bytes, bytearray)) and not _text_blob(shape, service):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        if kind == "structure":
            members = shape.members
            return {pascal(k): to_json(v, members.get(k), service) for k, v in value.items()
                    if k != "ResponseMetadata"}
        inner = shape.value if kind == "map" else None
        return {k: to_json(v, inner, service) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        inner = shape.member if kind == "list" else None
        return [to_json(v, inner, service) for v in value]
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, StreamingBody):
        data = value.read(MAX_BODY_BYTES + 1)
        value.close()
        if len(data) > MAX_BODY_BYTES:
            raise BodyTooLarge(MAX_BODY_BYTES)
        return _text(data)
    if isinstance(value, (bytes, bytearray)):
        return _text(bytes(value))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"The response body is larger than {limit} bytes")


def json_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"),
                                                           ensure_ascii=False)


def _request_value(value, shape, service):
    kind = getattr(shape, "type_name", None)
    if kind == "structure" and isinstance(value, dict):
        by_lower = {name.lower(): name for name in shape.members}
        out = {}
        for key, item in value.items():
            name = key if key in shape.members else by_lower.get(key.lower(), key)
            out[name] = _request_value(item, shape.members.get(name), service)
        return out
    if kind == "list" and isinstance(value, list):
        return [_request_value(v, shape.member, service) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _request_value(v, shape.value, service) for k, v in value.items()}
    if kind == "blob" and value is not None and not isinstance(value, bytes):
        if isinstance(value, str) and not _text_blob(shape, service):
            # Binary data travels in JSON as base64 (DynamoDB's B, KMS's Plaintext).
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:
                return value.encode("utf-8")
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return value


def prepare(operation_model, params: dict) -> dict:
    """The Task's Parameters as botocore's request (see the module docstring)."""
    shape = operation_model.input_shape
    if shape is None or not isinstance(params, dict):
        return params or {}
    return _request_value(params, shape, operation_model.service_model.service_name)


def sdk_metadata(meta: dict) -> dict:
    """boto3's ResponseMetadata as the SDK for Java v1 metadata the optimized integrations
    return (`SdkHttpMetadata`, `SdkResponseMetadata`)."""
    headers = dict(meta.get("HTTPHeaders") or {})
    return {
        "SdkHttpMetadata": {"AllHttpHeaders": {k: [v] for k, v in headers.items()},
                            "HttpHeaders": headers,
                            "HttpStatusCode": meta.get("HTTPStatusCode", 200)},
        "SdkResponseMetadata": {"RequestId": meta.get("RequestId", "")},
    }
