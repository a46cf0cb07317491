"""Encoding intrinsics: States.Base64Encode, States.Base64Decode."""
from __future__ import annotations

import base64
import binascii

from . import register
from ._checks import fail, need_string

# AWS docs: Base64Encode takes "up to 10,000 characters"; Base64Decode "base64 encoded data of
# up to 10,000 characters".
BASE64_MAX_CHARS = 10_000


@register("States.Base64Encode", 1)
def base64_encode(args, _nodes):
    name = "States.Base64Encode"
    text = need_string(name, args[0])
    if len(text) > BASE64_MAX_CHARS:
        raise fail(name, f"the input must be at most {BASE64_MAX_CHARS} characters long")
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


@register("States.Base64Decode", 1)
def base64_decode(args, _nodes):
    name = "States.Base64Decode"
    text = need_string(name, args[0])
    if len(text) > BASE64_MAX_CHARS:
        raise fail(name, f"the input must be at most {BASE64_MAX_CHARS} characters long")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise fail(name, "the input is not valid base64-encoded UTF-8 text") from None
