"""Map run actions: ListMapRuns, DescribeMapRun, UpdateMapRun (AWS's Map Run resource;
the runtime side is engine.runtime.map_runs). ListExecutions(mapRunArn) is in executions.py."""
from __future__ import annotations

from engine.models import MapRun, MapRunStatus
from engine import services
from engine.runtime import map_runs

from .. import errors, paging
from ..dispatch import action
from ._common import epoch, execution_for, map_run_for


@action("ListMapRuns")
def list_map_runs(caller, params):
    execution = execution_for(caller, params["executionArn"])
    runs = MapRun.objects.filter(execution=execution).select_related("execution__state_machine")
    page = paging.keyset_page(runs, order=("-start_date",), params=params,
                              salt=f"ListMapRuns:{execution.pk}")
    rows = []
    for run in page.items:
        row = {"executionArn": execution.arn, "mapRunArn": run.arn,
               "stateMachineArn": execution.machine_arn, "startDate": epoch(run.start_date)}
        if run.stop_date:
            row["stopDate"] = epoch(run.stop_date)
        rows.append(row)
    return page.response("mapRuns", rows)


def describe(run: MapRun) -> dict:
    items, executions = map_runs.counts(run)
    out = {
        "mapRunArn": run.arn,
        "executionArn": run.execution.arn,
        "status": run.status,
        "startDate": epoch(run.start_date),
        "maxConcurrency": run.max_concurrency,
        # Required members: 0 when the Map sets no tolerance (AWS answers the same).
        "toleratedFailurePercentage": float(run.tolerated_failure_percentage or 0),
        "toleratedFailureCount": int(run.tolerated_failure_count or 0),
        "itemCounts": items,
        "executionCounts": executions,
        "redriveCount": run.redrive_count,
    }
    if run.stop_date:
        out["stopDate"] = epoch(run.stop_date)
    if run.redrive_date:
        out["redriveDate"] = epoch(run.redrive_date)
    return out


@action("DescribeMapRun")
def describe_map_run(caller, params):
    return describe(map_run_for(caller, params["mapRunArn"]))


@action("UpdateMapRun")
def update_map_run(caller, params):
    run = map_run_for(caller, params["mapRunArn"])
    changes = {k: params.get(k) for k in ("maxConcurrency", "toleratedFailurePercentage",
                                          "toleratedFailureCount")}
    if all(v is None for v in changes.values()):
        raise errors.validation("At least one of maxConcurrency, toleratedFailurePercentage "
                                "or toleratedFailureCount must be given")
    if run.status != MapRunStatus.RUNNING:
        raise errors.validation(f"Map Run {run.arn} is {run.status}: only a running Map Run "
                                f"can be updated")
    count = changes["toleratedFailureCount"]
    services.update_map_run(run, max_concurrency=changes["maxConcurrency"],
                            tolerated_failure_count=int(count) if count is not None else None,
                            tolerated_failure_percentage=changes["toleratedFailurePercentage"])
    return {}
