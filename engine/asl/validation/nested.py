"""Map and Parallel: the states that hold nested state machines.

Each branch / item processor is validated as a machine of its own (its own StartAt, targets
and reachability), at locations like `/States/M/ItemProcessor/States/X` and
`/States/P/Branches/0/States/X`.
"""
from __future__ import annotations

from . import fields
from .context import EXPRESS, JSONATA, JSONPATH, Context
from .expressions import (check_jsonata_expression, check_jsonata_template, check_path,
                          check_payload_template)
from .report import (DUPLICATE_LABEL, INVALID_LABEL, Loc, Report, exactly_one_of,
                     language_message, not_supported, one_of_values, only_one_of, required)
from .values import (check_array, check_int_range, check_number_range, check_object,
                     check_string, is_jsonata)

MAX_LABEL = 40

# Distributed Map parts (AWS, "Distributed Map state"): the fields each may hold. Their
# service-specific contents (reader formats, S3 parameters) are left to the run.
_MAP_PARTS = {
    "ItemReader": frozenset({"Resource", "ReaderConfig", "Parameters", "Arguments"}),
    "ResultWriter": frozenset({"Resource", "WriterConfig", "Parameters", "Arguments"}),
    "ItemBatcher": frozenset({"MaxItemsPerBatch", "MaxItemsPerBatchPath",
                              "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath",
                              "BatchInput"}),
}
_PART_JSONPATH_ONLY = frozenset({"Parameters", "MaxItemsPerBatchPath",
                                 "MaxInputBytesPerBatchPath"})
_PART_PAIRS = (("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
               ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"))
# ItemReader.ReaderConfig (AWS, "ItemReader (Map)"): InputType CSV | JSON | JSONL | MANIFEST |
# PARQUET, CSVHeaderLocation FIRST_ROW | GIVEN, CSVHeaders, CSVDelimiter, MaxItems (at most
# 100,000,000) or MaxItemsPath, ItemsPointer (a JSON Pointer to the array in a JSON object).
_READER_CONFIG = frozenset({"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter",
                            "MaxItems", "MaxItemsPath", "ManifestType", "Transformation",
                            "ItemsPointer"})
MAX_READER_ITEMS = 100_000_000


def check_parallel(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    from .machine import check_nested  # machine → states → nested → machine

    if "Branches" not in state:
        ctx.report.schema(required("Branches"), loc)
        return
    branches = state["Branches"]
    if not check_array(ctx.report, branches, loc + ("Branches",), non_empty=True):
        return
    for i, branch in enumerate(branches):
        check_nested(ctx, branch, loc + ("Branches", i), fields.BRANCH)


def check_map(ctx: Context, state: dict, loc: Loc, language: str) -> None:
    from .machine import check_nested

    report = ctx.report
    if "Label" in state:  # before the nested maps, so a duplicate is reported where it repeats
        _check_label(ctx, state["Label"], loc + ("Label",))
    has_processor, has_iterator = "ItemProcessor" in state, "Iterator" in state
    if has_processor and has_iterator:
        report.schema(only_one_of("ItemProcessor", "Iterator"), loc)
    elif not has_processor and not has_iterator:
        report.schema(exactly_one_of("ItemProcessor", "Iterator"), loc)
    key = "ItemProcessor" if has_processor else "Iterator"
    if key in state:
        processor = state[key]
        child_type = _check_processor_config(ctx, processor, loc + (key,))
        check_nested(ctx.with_type(child_type), processor, loc + (key,), fields.PROCESSOR)
    if language == JSONPATH:
        if "ItemsPath" in state:  # may read the context object ($$.Execution.Input …)
            check_path(report, state["ItemsPath"], loc + ("ItemsPath",), reference=True)
        for path_key in ("MaxConcurrencyPath", "ToleratedFailurePercentagePath",
                         "ToleratedFailureCountPath"):
            if path_key in state:
                check_path(report, state[path_key], loc + (path_key,), reference=True,
                           roots="no_context")
        if "ItemSelector" in state:
            check_payload_template(report, state["ItemSelector"], loc + ("ItemSelector",))
    else:
        if "Items" in state and not is_jsonata(state["Items"]):
            check_array(report, state["Items"], loc + ("Items",))
        check_jsonata_template(report, state.get("Items"), loc + ("Items",))
        if "ItemSelector" in state:
            check_jsonata_template(report, state["ItemSelector"], loc + ("ItemSelector",))
    _check_map_numbers(report, state, loc, language)
    for key, allowed in _MAP_PARTS.items():
        if key in state:
            _check_part(report, state[key], loc + (key,), allowed, language)


def _check_processor_config(ctx: Context, processor, loc: Loc) -> str:
    """Validates ProcessorConfig; returns the type (STANDARD/EXPRESS) of the child workflows."""
    report = ctx.report
    if not isinstance(processor, dict) or "ProcessorConfig" not in processor:
        return ctx.machine_type
    config = processor["ProcessorConfig"]
    here = loc + ("ProcessorConfig",)
    if not check_object(report, config, here):
        return ctx.machine_type
    for key in config:
        if key not in ("Mode", "ExecutionType"):
            report.schema(not_supported(key), here)
    mode = config.get("Mode", "INLINE")
    if mode not in ("INLINE", "DISTRIBUTED"):
        report.schema(one_of_values("INLINE", "DISTRIBUTED"), here + ("Mode",))
        return ctx.machine_type
    if mode == "INLINE":
        if "ExecutionType" in config:
            report.schema(not_supported("ExecutionType"), here)
        return ctx.machine_type
    if ctx.machine_type == EXPRESS:
        report.schema("The field 'Mode' with value 'DISTRIBUTED' is not supported inside "
                      "'EXPRESS' state machines", here + ("Mode",))
    execution_type = config.get("ExecutionType")
    if execution_type is None:
        report.schema(required("ExecutionType"), here)
        return ctx.machine_type
    if execution_type not in ("STANDARD", "EXPRESS"):
        report.schema(one_of_values("STANDARD", "EXPRESS"), here + ("ExecutionType",))
        return ctx.machine_type
    return execution_type


def _check_map_numbers(report: Report, state: dict, loc: Loc, language: str) -> None:
    for key, check in (("MaxConcurrency", lambda v, h: check_int_range(report, v, h, 0)),
                       ("ToleratedFailureCount", lambda v, h: check_int_range(report, v, h, 0)),
                       ("ToleratedFailurePercentage",
                        lambda v, h: check_number_range(report, v, h, 0, 100))):
        if key not in state:
            continue
        value = state[key]
        if language == JSONATA and is_jsonata(value):
            check_jsonata_expression(report, value, loc + (key,))
        else:
            check(value, loc + (key,))


def _check_label(ctx: Context, label, loc: Loc) -> None:
    if not check_string(ctx.report, label, loc):
        return
    if len(label) > MAX_LABEL:
        ctx.report.error(INVALID_LABEL, f"Label '{label}' exceeds the {MAX_LABEL}-character "
                         "limit allowed by the service", loc)
    if label in ctx.labels:
        ctx.report.error(DUPLICATE_LABEL, f"Duplicate Label name: {label}", loc)
    ctx.labels.add(label)


def _check_reader_config(report: Report, config, loc: Loc, language: str) -> None:
    if not check_object(report, config, loc):
        return
    if "MaxItems" in config and not (language == JSONATA and is_jsonata(config["MaxItems"])):
        check_int_range(report, config["MaxItems"], loc + ("MaxItems",), 0, MAX_READER_ITEMS)
    if "MaxItemsPath" in config:
        if language == JSONATA:
            report.schema(language_message(language, "MaxItemsPath"), loc)
        else:
            check_path(report, config["MaxItemsPath"], loc + ("MaxItemsPath",), reference=True)
    # "MaxItems … or MaxItemsPath" (AWS ItemReader docs; aws-cdk-lib ItemReader validates
    # "Provide either `maxItems` or `maxItemsPath`, but not both").
    if "MaxItems" in config and "MaxItemsPath" in config:
        report.schema(only_one_of("MaxItems", "MaxItemsPath"), loc)


def _check_part(report: Report, part, loc: Loc, allowed: frozenset, language: str) -> None:
    if not check_object(report, part, loc):
        return
    for key in part:
        if key not in allowed:
            report.schema(not_supported(key), loc)
        elif language == JSONATA and key in _PART_JSONPATH_ONLY:
            report.schema(language_message(language, key), loc)
        elif language == JSONPATH and key == "Arguments":
            report.schema(language_message(language, key), loc)
    if loc[-1] == "ItemReader" and "Resource" not in part:
        report.schema(required("Resource"), loc)
    if loc[-1] == "ItemReader" and "ReaderConfig" in part:
        _check_reader_config(report, part["ReaderConfig"], loc + ("ReaderConfig",), language)
    # A number and its `…Path` are alternatives: "Provide either `maxItemsPerBatch` or
    # `maxItemsPerBatchPath`, but not both" (aws-cdk-lib ItemBatcher.validateItemBatcher; the
    # same for maxInputBytesPerBatch), and AWS's ItemBatcher documentation lists them as
    # "MaxItemsPerBatch or MaxItemsPerBatchPath". Both given: refused, as the other
    # literal/Path pairs (fields.EXCLUSIVE_PAIRS).
    for a, b in _PART_PAIRS:
        if a in part and b in part:
            report.schema(only_one_of(a, b), loc)
    if "Resource" in part:
        check_string(report, part["Resource"], loc + ("Resource",))
    for key in ("MaxItemsPerBatch", "MaxInputBytesPerBatch"):
        if key in part and not (language == JSONATA and is_jsonata(part[key])):
            check_int_range(report, part[key], loc + (key,), 0)
    for key in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
        if key in part and language == JSONPATH:
            check_path(report, part[key], loc + (key,), reference=True, roots="no_context")
    if language == JSONPATH and "Parameters" in part:
        check_payload_template(report, part["Parameters"], loc + ("Parameters",))
    if language == JSONATA:
        for key in ("Arguments", "BatchInput"):
            if key in part:
                check_jsonata_template(report, part[key], loc + (key,))
