"""States.Hash, Base64Encode/Decode, UUID (hash.py, encoding.py, uuid.py)."""
import uuid

import pytest

from engine.asl.errors import StatesError
from engine.asl.intrinsics import evaluate


@pytest.mark.parametrize("algorithm, digest", [
    # AWS-recorded digests of "input data" (corpus intrinsic__hash_exec_hist_resp_*)
    ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
    ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
    ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
    ("SHA-384", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"),
    ("SHA-512", "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"),
])
def test_hash_algorithms(algorithm, digest):
    assert evaluate("States.Hash($.d, $.a)", {"d": "input data", "a": algorithm}) == digest


@pytest.mark.parametrize("expr, data, cause", [
    ("States.Hash('x', 'SHA-999')", {},
     "Invalid arguments in States.Hash: unsupported hash algorithm 'SHA-999'; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
    ("States.Hash($.d, 'MD5')", {"d": "x" * 10_001},
     "Invalid arguments in States.Hash: the data must be at most 10000 characters long"),
    ("States.Hash(1, 'MD5')", {}, "Invalid arguments in States.Hash: the data must be a string, but was number 1"),
])
def test_hash_errors(expr, data, cause):
    with pytest.raises(StatesError) as info:
        evaluate(expr, data)
    assert (info.value.error, info.value.cause) == ("States.IntrinsicFailure", cause)


def test_base64_round_trip():
    assert evaluate("States.Base64Encode('Data to encode')", {}) == "RGF0YSB0byBlbmNvZGU="
    assert evaluate("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", {}) == "Data to encode"
    assert evaluate("States.Base64Encode('')", {}) == ""
    assert evaluate("States.Base64Decode('')", {}) == ""
    assert evaluate("States.Base64Decode(States.Base64Encode('héllo'))", {}) == "héllo"


@pytest.mark.parametrize("expr, data, cause", [
    ("States.Base64Encode($.s)", {"s": "x" * 10_001},
     "Invalid arguments in States.Base64Encode: the input must be at most 10000 characters long"),
    ("States.Base64Decode($.s)", {"s": "QQ==" * 2_501},
     "Invalid arguments in States.Base64Decode: the input must be at most 10000 characters long"),
    ("States.Base64Decode('not base64!')", {},
     "Invalid arguments in States.Base64Decode: the input is not valid base64-encoded UTF-8 text"),
])
def test_base64_limits_and_errors(expr, data, cause):
    with pytest.raises(StatesError) as info:
        evaluate(expr, data)
    assert (info.value.error, info.value.cause) == ("States.IntrinsicFailure", cause)


def test_base64_accepts_exactly_10000_characters():
    assert evaluate("States.Base64Encode($.s)", {"s": "x" * 10_000})


def test_uuid_is_a_fresh_v4_uuid():
    a, b = evaluate("States.UUID()", {}), evaluate("States.UUID()", {})
    assert uuid.UUID(a).version == 4
    assert a != b
