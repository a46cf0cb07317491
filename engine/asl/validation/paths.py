"""Static syntax of paths and intrinsic calls, with a reason in AWS's words.

The grammar lives with the runtime (`engine.asl.paths`, `engine.asl.intrinsics`) so the
validator accepts exactly what the evaluator can run. ASL spec, "Paths": a Path is a JSONPath
starting with `$`; a Reference Path "can only identify a single node" (no `*`, `..`, slices,
unions or filters). Step Functions adds `$$` (context object) and `$name` (variables).
"""
from __future__ import annotations

from engine.asl.intrinsics import is_intrinsic, validate_expression
from engine.asl.paths import is_valid_path, is_valid_reference_path

__all__ = ["path_error", "intrinsic_error", "is_intrinsic", "is_valid_path",
           "is_valid_reference_path"]


def path_error(s: str, reference: bool) -> str | None:
    """None when `s` is a valid (Reference) Path, else why not, completing
    "Reference path …" (AWS: "Reference path didn't start with '$'")."""
    if not isinstance(s, str) or not s.startswith("$"):
        return "didn't start with '$'"
    if not is_valid_path(s):
        return "is not a valid JSONPath"
    if reference and not is_valid_reference_path(s):
        return "can match more than one node (no '*', '..', slices, unions or filters)"
    return None


def intrinsic_error(s: str) -> str | None:
    """None when `s` is one well-formed call of a known intrinsic with a valid arity."""
    if not is_intrinsic(s):
        return "is not an intrinsic function call"
    return validate_expression(s)
