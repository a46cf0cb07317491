"""Retry and Catch arrays (ASL spec, "Error handling").

"The reserved name States.ALL … MUST appear alone in the ErrorEquals array and MUST appear in
the last Retrier/Catcher" — AWS: "States.ALL must appear alone and at end of list", located at
the offending `ErrorEquals[i]`.
"""
from __future__ import annotations

from . import fields
from .expressions import check_jsonata_template, check_path
from .report import Loc, Report, language_message, not_supported, one_of_values, required
from .values import (check_array, check_int_range, check_number_range, check_object,
                     check_string)
from .variables import check_assign

STATES_ALL = "States.ALL"


def _check_error_equals(report: Report, entry: dict, loc: Loc, is_last: bool) -> None:
    errors = entry["ErrorEquals"]
    if not check_array(report, errors, loc + ("ErrorEquals",), non_empty=True):
        return
    for i, name in enumerate(errors):
        here = loc + ("ErrorEquals", i)
        if not check_string(report, name, here):
            continue
        if name == STATES_ALL and (len(errors) > 1 or not is_last):
            report.schema("States.ALL must appear alone and at end of list", here)


def check_retry(report: Report, retry, loc: Loc) -> None:
    if not check_array(report, retry, loc):
        return
    for i, retrier in enumerate(retry):
        here = loc + (i,)
        if not check_object(report, retrier, here):
            continue
        for key in retrier:
            if key not in fields.RETRIER:
                report.schema(not_supported(key), here)
        if "ErrorEquals" not in retrier:
            report.schema(required("ErrorEquals"), here)
        else:
            _check_error_equals(report, retrier, here, i == len(retry) - 1)
        # Bounds as AWS enforces them (IntervalSeconds 0 and BackoffRate 1.0 are accepted).
        if "IntervalSeconds" in retrier:
            check_int_range(report, retrier["IntervalSeconds"], here + ("IntervalSeconds",),
                            0, 99999999)
        if "MaxAttempts" in retrier:
            check_int_range(report, retrier["MaxAttempts"], here + ("MaxAttempts",),
                            0, 99999999)
        if "BackoffRate" in retrier:
            check_number_range(report, retrier["BackoffRate"], here + ("BackoffRate",), 1)
        if "MaxDelaySeconds" in retrier:
            check_int_range(report, retrier["MaxDelaySeconds"], here + ("MaxDelaySeconds",),
                            1, 31622400)
        if "JitterStrategy" in retrier and retrier["JitterStrategy"] not in ("NONE", "FULL"):
            report.schema(one_of_values("NONE", "FULL"), here + ("JitterStrategy",))


def check_catch(report: Report, catch, loc: Loc, language: str) -> None:
    if not check_array(report, catch, loc):
        return
    for i, catcher in enumerate(catch):
        here = loc + (i,)
        if not check_object(report, catcher, here):
            continue
        for key in catcher:
            if key not in fields.CATCHER:
                report.schema(not_supported(key), here)
        missing = [k for k in ("ErrorEquals", "Next") if k not in catcher]
        if missing:
            report.schema(required(*missing), here)
        if "ErrorEquals" in catcher:
            _check_error_equals(report, catcher, here, i == len(catch) - 1)
        if "Next" in catcher:
            check_string(report, catcher["Next"], here + ("Next",))
        _check_language_fields(report, catcher, here, language)
        if "ResultPath" in catcher and language == "JSONPath":
            check_path(report, catcher["ResultPath"], here + ("ResultPath",), reference=True,
                       nullable=True, roots="data")
        if "Output" in catcher and language == "JSONata":
            check_jsonata_template(report, catcher["Output"], here + ("Output",))
        if "Assign" in catcher:
            check_assign(report, catcher["Assign"], here + ("Assign",), language)


def _check_language_fields(report: Report, catcher: dict, loc: Loc, language: str) -> None:
    if language == "JSONata" and "ResultPath" in catcher:
        report.schema(language_message(language, "ResultPath"), loc)
    if language == "JSONPath" and "Output" in catcher:
        report.schema(language_message(language, "Output"), loc)
