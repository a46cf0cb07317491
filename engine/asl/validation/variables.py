"""`Assign` blocks: variable names, and their values in either query language.

AWS: "RESERVED_VARIABLE_NAME: Cannot assign to reserved variable '$states'." and
"INVALID_VARIABLE_NAME: Invalid variable name '<n>': the variable name contains invalid
characters." (AWS, "Passing data between states with variables": names start with a letter or
`_` and continue with letters, digits and `_`.)
"""
from __future__ import annotations

import re

from .expressions import check_jsonata_template, check_payload_template
from .report import INVALID_VARIABLE, RESERVED_VARIABLE, Loc, Report
from .values import check_object

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_NAME = 80


def check_assign(report: Report, assign, loc: Loc, language: str) -> None:
    if not check_object(report, assign, loc):
        return
    for key in assign:
        name = key[:-2] if language == "JSONPath" and key.endswith(".$") else key
        here = loc + (key,)
        if name == "states":
            report.error(RESERVED_VARIABLE, "Cannot assign to reserved variable '$states'.", here)
        elif not _NAME.match(name) or len(name) > MAX_NAME:
            report.error(INVALID_VARIABLE, f"Invalid variable name '{name}': the variable name "
                         "contains invalid characters.", here)
    if language == "JSONPath":
        check_payload_template(report, assign, loc)
    else:
        check_jsonata_template(report, assign, loc)
