"""Requests and responses between ASL's JSON and botocore's Python values.

Into botocore: a blob member given a JSON value that is not text is sent as its JSON text
(AWS: `s3:putObject` with `"Body": {"Dict": "Value"}` stores `{"Dict":"Value"}`, with
`"Body": false` stores `false` — corpus `task__s3_put_object_*`).

Out of botocore: the response without boto3's `ResponseMetadata`; timestamps as ISO-8601
UTC text; a streamed or binary body as its text (S3 `getObject`'s `Body` is the object's
text, corpus `task__s3_get_object_*`), or base64 when it is not UTF-8.
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


def to_json(value):
    """botocore's response value → JSON (see the module docstring)."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
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


def prepare(operation_model, params: dict) -> dict:
    """The Task's Parameters as botocore's request (blob members of JSON values → text)."""
    shape = operation_model.input_shape
    if shape is None or not isinstance(params, dict):
        return params or {}
    out = dict(params)
    for name, member in shape.members.items():
        if name in out and member.type_name == "blob" and not isinstance(out[name], (str, bytes)):
            out[name] = json_text(out[name])
    return out


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
