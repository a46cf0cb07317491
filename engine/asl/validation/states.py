"""Checks of one state: fields, query language, transition, and the rules of its type."""
from __future__ import annotations

from . import fields
from .choice import check_choices
from .context import JSONATA, JSONPATH, Context
from .expressions import (check_jsonata_expression, check_jsonata_template, check_path,
                          check_payload_template)
from .report import (INVALID_STATE_NAME, PASS_RESULT_IS_STATIC, Loc, Report, exactly_one_of,
                     expected_type, language_message, not_supported, one_of_values,
                     only_one_of, required)
from .nested import check_map, check_parallel
from .resources import check_integration_request, check_resource, is_activity
from .retry_catch import check_catch, check_retry
from .values import (check_int_range, check_object, check_string, is_integer, is_jsonata,
                     is_rfc3339, is_unquoted, quoted_placeholder)
from .variables import check_assign

MAX_STATE_NAME = 80
MAX_SECONDS = 99999999


def check_state(ctx: Context, name: str, state, loc: Loc) -> None:
    report = ctx.report
    if len(name) > MAX_STATE_NAME:
        report.error(INVALID_STATE_NAME, f"State name '{name}' exceeds the "
                     f"{MAX_STATE_NAME}-character limit allowed by the service", loc)
    if not check_object(report, state, loc):
        return
    kind = state.get("Type")
    if "Type" not in state:
        report.schema(required("Type"), loc)
        return
    if kind not in fields.STATE_TYPES:
        report.schema(one_of_values(*fields.STATE_TYPES), loc + ("Type",))
        return
    language = _state_language(ctx, state, loc)
    for key in state:
        if key not in fields.ALLOWED[kind]:
            report.schema(not_supported(key), loc)
        elif language == JSONATA and key in fields.JSONPATH_ONLY:
            report.schema(language_message(language, key), loc)
        elif language == JSONPATH and key in fields.JSONATA_ONLY:
            report.schema(language_message(language, key), loc)
    for a, b in fields.EXCLUSIVE_PAIRS:
        if a in state and b in state:
            report.schema(only_one_of(a, b), loc)
    if "Comment" in state:
        check_string(report, state["Comment"], loc + ("Comment",))
    _check_transition(report, kind, state, loc)
    _check_io(report, state, loc, language)
    if "Assign" in state and kind in ("Pass", "Task", "Choice", "Wait", "Parallel", "Map"):
        check_assign(report, state["Assign"], loc + ("Assign",), language)
    if "Retry" in state and "Retry" in fields.ALLOWED[kind]:
        check_retry(report, state["Retry"], loc + ("Retry",))
    if "Catch" in state and "Catch" in fields.ALLOWED[kind]:
        check_catch(report, state["Catch"], loc + ("Catch",), language)
    _CHECKS[kind](ctx, state, loc, language)


def _state_language(ctx: Context, state: dict, loc: Loc) -> str:
    if "QueryLanguage" not in state:
        return ctx.machine_language
    value = state["QueryLanguage"]
    if value not in (JSONPATH, JSONATA):
        # AWS (measured, floci-io/floci#2968): only the exact string 'JSONPath' means JSONPath;
        # any other value is reported and the state is then checked as JSONata.
        ctx.report.schema(one_of_values(JSONPATH, JSONATA), loc + ("QueryLanguage",))
        return JSONATA
    if value == JSONPATH and ctx.machine_language == JSONATA:
        ctx.report.schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole "
                          "state machine", loc)
    return value


def _check_transition(report: Report, kind: str, state: dict, loc: Loc) -> None:
    if kind not in fields.NEEDS_TRANSITION:
        return  # Choice/Succeed/Fail: Next and End are refused by the field table
    end = state.get("End")
    # A bare `"End": ${Ends}` (SAM) is taken to end the state; a quoted one is refused below.
    has_next, ends = "Next" in state, end is True or is_unquoted(end)
    # AWS judges `"End": true`, not the key: Next with "End": false is accepted, and a state
    # with "End": false and no Next has neither.
    if has_next and ends:
        report.schema(only_one_of("Next", "End"), loc)
    elif not has_next and not ends:
        report.schema(exactly_one_of("Next", "End"), loc)
    if has_next:
        check_string(report, state["Next"], loc + ("Next",))
    if "End" in state and not isinstance(end, bool) \
            and not quoted_placeholder(report, end, loc + ("End",), "Boolean"):
        report.schema(expected_type("Boolean"), loc + ("End",))


def _check_io(report: Report, state: dict, loc: Loc, language: str) -> None:
    """InputPath → Parameters → ResultSelector → ResultPath → OutputPath, or Arguments/Output."""
    if language == JSONPATH:
        for key in ("InputPath", "OutputPath"):
            if key in state:
                check_path(report, state[key], loc + (key,), reference=False, nullable=True)
        if "ResultPath" in state:
            check_path(report, state["ResultPath"], loc + ("ResultPath",), reference=True,
                       nullable=True, roots="data")
        for key in ("Parameters", "ResultSelector"):
            if key in state:
                check_payload_template(report, state[key], loc + (key,))
    else:
        for key in ("Arguments", "Output"):
            if key in state:
                check_jsonata_template(report, state[key], loc + (key,))
        if "Arguments" in state and not (isinstance(state["Arguments"], dict)
                                         or is_jsonata(state["Arguments"])):
            report.schema(expected_type("Object"), loc + ("Arguments",))


def _check_seconds(report: Report, state: dict, key: str, loc: Loc, language: str,
                   minimum: int) -> None:
    """An Integer field that a JSONata state may also give as `{% %}`."""
    if key not in state:
        return
    value = state[key]
    if language == JSONATA and is_jsonata(value):
        check_jsonata_expression(report, value, loc + (key,))
    else:
        check_int_range(report, value, loc + (key,), minimum, MAX_SECONDS)


# --- per type --------------------------------------------------------------------------------

def _check_pass(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    # Result is any JSON value, taken literally: a `.$` key in it is not evaluated, which AWS
    # flags (warning PASS_RESULT_IS_STATIC: "Attempt to use a path in the result of a pass
    # state").
    if "Result" in state and _has_dollar_key(state["Result"]):
        ctx.report.warning(PASS_RESULT_IS_STATIC, "Attempt to use a path in the result of a "
                           "pass state.", loc + ("Result",))


def _has_dollar_key(value) -> bool:
    if isinstance(value, dict):
        return any((isinstance(k, str) and k.endswith(".$")) or _has_dollar_key(v)
                   for k, v in value.items())
    if isinstance(value, list):
        return any(_has_dollar_key(v) for v in value)
    return False


def _check_succeed(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    return


def _check_task(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    report = ctx.report
    if "Resource" not in state:
        report.schema(required("Resource"), loc)
    else:
        check_resource(report, state["Resource"], loc + ("Resource",), ctx.machine_type)
        check_integration_request(report, state, loc, language)
    _check_seconds(report, state, "TimeoutSeconds", loc, language, 1)
    _check_seconds(report, state, "HeartbeatSeconds", loc, language, 1)
    for key in ("TimeoutSecondsPath", "HeartbeatSecondsPath"):
        if key in state and language == JSONPATH:
            check_path(report, state[key], loc + (key,), reference=True)
    timeout, heartbeat = state.get("TimeoutSeconds"), state.get("HeartbeatSeconds")
    if is_integer(timeout) and is_integer(heartbeat) and heartbeat >= timeout:
        # ASL spec: "HeartbeatSeconds MUST be smaller than TimeoutSeconds".
        report.schema("HeartbeatSeconds must be smaller than TimeoutSeconds",
                      loc + ("HeartbeatSeconds",))
    if "Credentials" in state:
        _check_credentials(report, state["Credentials"], loc + ("Credentials",), language)
        if is_activity(state.get("Resource")):
            # An activity worker polls with its own credentials; there is nothing to assume.
            report.schema("The field 'Credentials' is not supported for activities",
                          loc + ("Credentials",))


def _check_credentials(report: Report, credentials, loc: Loc, language: str) -> None:
    if not check_object(report, credentials, loc):
        return
    keys = ("RoleArn", "RoleArn.$") if language == JSONPATH else ("RoleArn",)
    if not any(k in credentials for k in keys):
        report.schema("The field 'RoleArn' is required but was missing", loc)
    for key in credentials:
        if key not in keys:
            report.schema(not_supported(key), loc)
    if language == JSONPATH:
        check_payload_template(report, credentials, loc)
    else:
        check_jsonata_template(report, credentials, loc)


def _check_choice(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    if "Choices" not in state:
        ctx.report.schema(required("Choices"), loc)
        return
    check_choices(ctx.report, state, loc, language)


def _check_wait(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    report = ctx.report
    present = [k for k in ("SecondsPath", "Seconds", "TimestampPath", "Timestamp") if k in state]
    if len(present) > 1:
        report.schema(only_one_of("SecondsPath", "Seconds", "TimestampPath", "Timestamp"), loc)
    elif not present:
        report.schema(exactly_one_of("SecondsPath", "Seconds", "TimestampPath", "Timestamp"),
                      loc)
    _check_seconds(report, state, "Seconds", loc, language, 0)
    if "Timestamp" in state:
        value = state["Timestamp"]
        if language == JSONATA and is_jsonata(value):
            check_jsonata_expression(report, value, loc + ("Timestamp",))
        elif not is_rfc3339(value):
            # In a JSONPath state `{% … %}` is just a string, and not a timestamp.
            report.schema("String does not match RFC3339 timestamp", loc + ("Timestamp",))
    for key in ("SecondsPath", "TimestampPath"):
        if key in state and language == JSONPATH:
            check_path(report, state[key], loc + (key,), reference=True)


def _check_fail(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    report = ctx.report
    for key in ("Error", "Cause"):
        if key in state:
            value = state[key]
            if language == JSONATA and is_jsonata(value):
                check_jsonata_expression(report, value, loc + (key,))
            else:
                check_string(report, value, loc + (key,))
    for key in ("ErrorPath", "CausePath"):
        if key in state and language == JSONPATH:
            # AWS: a Reference Path or an intrinsic function returning a string.
            check_path(report, state[key], loc + (key,), reference=True, intrinsic=True)


_CHECKS = {
    "Pass": _check_pass, "Task": _check_task, "Choice": _check_choice, "Wait": _check_wait,
    "Succeed": _check_succeed, "Fail": _check_fail, "Parallel": check_parallel,
    "Map": check_map,
}
