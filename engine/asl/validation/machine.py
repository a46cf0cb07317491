"""A state machine and its nested machines (Parallel branches, Map item processors)."""
from __future__ import annotations

from . import fields
from .context import JSONATA, JSONPATH, Context
from .graph import check_graph
from .report import DUPLICATE_STATE, Loc, Report, not_supported, one_of_values, required
from .states import check_state
from .values import check_int_range, check_object, check_string


def check_definition(doc: dict, report: Report, machine_type: str) -> None:
    """The top level: `{"StartAt", "States", "Comment", "TimeoutSeconds", "Version",
    "QueryLanguage"}`."""
    for key in doc:
        if key not in fields.TOP_LEVEL:
            report.schema(not_supported(key), ())
    language = doc.get("QueryLanguage", JSONPATH)
    if language not in (JSONPATH, JSONATA):
        report.schema(one_of_values(JSONPATH, JSONATA), ("QueryLanguage",))
        language = JSONPATH
    if "Version" in doc and doc["Version"] != "1.0":
        report.schema(one_of_values("1.0"), ("Version",))
    if "TimeoutSeconds" in doc:
        check_int_range(report, doc["TimeoutSeconds"], ("TimeoutSeconds",), 0, 99999999)
    if "Comment" in doc:
        check_string(report, doc["Comment"], ("Comment",))
    ctx = Context(report=report, machine_type=machine_type, machine_language=language)
    _check_container(ctx, doc, ())


def check_nested(ctx: Context, nested, loc: Loc, allowed: frozenset) -> None:
    """A Parallel branch or a Map ItemProcessor/Iterator."""
    if not check_object(ctx.report, nested, loc):
        return
    for key in nested:
        if key not in allowed:
            ctx.report.schema(not_supported(key), loc)
    _check_container(ctx, nested, loc)


def _check_container(ctx: Context, container: dict, loc: Loc) -> None:
    report = ctx.report
    # AWS lists the missing fields as "[States, StartAt]".
    missing = [k for k in ("States", "StartAt") if k not in container]
    if missing:
        report.schema(required(*missing), loc)
    start_at = container.get("StartAt")
    if "StartAt" in container:
        check_string(report, start_at, loc + ("StartAt",))
    states = container.get("States")
    if "States" not in container or not check_object(report, states, loc + ("States",)):
        return
    if not states:
        # Still checked below: the StartAt of an empty container names no state.
        report.schema("Value cannot be empty", loc + ("States",))
    for name in getattr(states, "duplicate_keys", ()):  # repeated keys in the JSON text
        report.error(DUPLICATE_STATE, f"Duplicate State name: {name}", loc + ("States", name))
    for name, state in states.items():
        if name in ctx.state_names:
            report.error(DUPLICATE_STATE, f"Duplicate State name: {name}",
                         loc + ("States", name))
        ctx.state_names.add(name)
        check_state(ctx, name, state, loc + ("States", name))
    check_graph(report, start_at, states, loc)
