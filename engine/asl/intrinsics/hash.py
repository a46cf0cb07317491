"""States.Hash."""
from __future__ import annotations

import hashlib

from . import register
from ._checks import fail, need_string

# AWS docs: "States.Hash(data, algorithm) … MD5, SHA-1, SHA-256, SHA-384, SHA-512";
# "the input data … up to 10,000 characters".
ALGORITHMS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384",
              "SHA-512": "sha512"}
HASH_MAX_CHARS = 10_000


@register("States.Hash", 2)
def hash_(args, _nodes):
    name = "States.Hash"
    data = need_string(name, args[0], "data")
    algorithm = need_string(name, args[1], "algorithm")
    if algorithm not in ALGORITHMS:
        raise fail(name, f"unsupported hash algorithm '{algorithm}'; use one of "
                         f"{', '.join(ALGORITHMS)}")
    if len(data) > HASH_MAX_CHARS:
        raise fail(name, f"the data must be at most {HASH_MAX_CHARS} characters long")
    # Lower-case hex digest of the UTF-8 bytes (corpus intrinsic__hash_exec_hist_resp_*).
    return hashlib.new(ALGORITHMS[algorithm], data.encode("utf-8")).hexdigest()
