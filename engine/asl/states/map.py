"""Map: "run a set of workflow steps for each item in a dataset" (spec "Map State").

Inline mode: iterations are children of this lane (MapIterationStarted/Succeeded/Failed in
the same history). Distributed mode (`ProcessorConfig.Mode: DISTRIBUTED`): iterations are
child executions whose events are not in the parent history; the parent records
MapRunStarted / MapRunSucceeded|Failed. Items come from ItemsPath/Items or, for
distributed maps, an ItemReader (resolved by the driver like a task; see `reader_request`).
"""
import uuid

from ..clock import iso
from ..errors import ErrorName, StatesError
from ..events import error_details
from ..limits import dumps
from .. import aborts, step as S
from .base import StateType, register
from . import item_reader
from .parallel import record

EXCEEDED_CAUSE = "The specified tolerance threshold was exceeded."


def _shown(v) -> str:
    # AWS quotes the offending value: "NoNumber" for a string, "{}" for an object.
    return v if isinstance(v, str) else dumps(v)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def processor_config(state: dict) -> dict:
    proc = state.get("ItemProcessor") or state.get("Iterator") or {}
    return proc.get("ProcessorConfig") or {}


def is_distributed(state: dict) -> bool:
    return processor_config(state).get("Mode") == "DISTRIBUTED"


@register
class MapState(StateType):
    type_name = "Map"
    can_retry = True
    failed_event = "MapStateFailed"

    def _int_field(self, x, env, name, kind="integer", check=None):
        fv = x.df.field(x.state, name, env)
        if fv is None:
            return None
        v = fv.value
        if isinstance(v, str) and fv.expression is not None:
            # AWS parses a string the *Path selects ("1" is accepted as 1).
            try:
                v = int(v) if kind == "integer" else float(v)
            except ValueError:
                pass
        ok = _is_int(v) if kind == "integer" else _is_number(v)
        if not ok:
            if fv.expression is not None:
                raise x.runtime_error(f'The {fv.field} field refers to value "{_shown(fv.value)}" which is not a valid '
                                      f'{"integer" if kind == "integer" else "float"}: {fv.expression}')
            raise x.runtime_error(f"{name} must be a valid {kind}: {_shown(v)}")
        if check:
            check(v)
        return v

    def attempt(self, x):
        env = x.env()
        st = x.state

        def nonneg_conc(v):
            if v < 0:
                raise x.runtime_error("MaxConcurrency cannot be negative.")
        # AWS evaluates MaxConcurrency before MapStateStarted, the tolerances after it.
        max_conc = self._int_field(x, env, "MaxConcurrency", check=nonneg_conc) or 0
        distributed = is_distributed(st)
        reader = distributed and "ItemReader" in st
        items = None
        if not reader:
            items = x.df.map_items(st, env)
        # With an ItemReader the number of items is unknown yet: AWS records length 0.
        x.em.emit("MapStateStarted", {"length": 0 if reader else len(items)})
        tol_count, tol_pct = self._tolerances(x, env)
        arn = None
        if distributed:
            arn, redrives = self._map_run(x)
            if redrives:
                # RedriveExecution re-entered this Map: its map run goes on (same ARN).
                x.em.emit("MapRunRedriven", {"mapRunArn": arn, "redriveCount": redrives})
            else:
                x.em.emit("MapRunStarted", {"mapRunArn": arn})
        plan = {"max_conc": max_conc, "tol_count": tol_count, "tol_pct": tol_pct, "map_run_arn": arn,
                "distributed": distributed}
        if reader:
            # The reader's data comes from the driver (mock or handler), like a task result.
            x.cursor["pending"] = {"reading": True, **plan}
            x.cursor["phase"] = "reading"
            return S.InvokeTask(x.cursor, x.em.events,
                                item_reader.reader_request(x, env, self._max_items(x, env)))
        return self._launch(x, env, items, plan)

    def _tolerances(self, x, env):
        def count_check(v):
            if v < 0:
                raise x.runtime_error("ToleratedFailureCount cannot be negative.")

        def pct_check(v):
            if v < 0 or v > 100:
                raise x.runtime_error("ToleratedFailurePercentage must be between 0 and 100.")
        tol_count = self._int_field(x, env, "ToleratedFailureCount", check=count_check)
        tol_pct = self._int_field(x, env, "ToleratedFailurePercentage", kind="float", check=pct_check)
        return tol_count, tol_pct

    def _launch(self, x, env, items, plan):
        st = x.state
        distributed = plan["distributed"]
        inputs = [x.df.item_input(st, env, i, item) for i, item in enumerate(items)]
        inputs = self._batch(x, env, inputs)
        c = x.cursor
        n = len(inputs)
        c["pending"] = {"results": [None] * n, "remaining": n, "failures": 0, **plan}
        if "ResultWriter" in st:
            # The ResultWriter's records carry each child's input.
            c["pending"]["inputs"] = inputs
        if n == 0:
            return self._succeeded(x)
        kind = S.MAP_RUN_ITEM if distributed else S.MAP_ITERATION
        path = x.machine.path + ((x.name, 0),)
        children = [
            S.start(x.root, value, c["ctx"], kind=kind, path=path, index=i, parent_state=x.name,
                    # AWS: a Distributed Map's child workflows see no outer variables.
                    variables=None if distributed else c["vars"],
                    prev_event_id=0 if distributed else x.em.prev)
            for i, value in enumerate(inputs)
        ]
        c["phase"] = "children"
        return S.FanOut(c, x.em.events, children, plan["max_conc"], distributed)

    def _batch(self, x, env, inputs):
        batcher = x.state.get("ItemBatcher")
        if not batcher:
            return inputs
        fv = x.df.field(batcher, "MaxItemsPerBatch", env)
        max_items = fv.value if fv is not None and _is_int(fv.value) and fv.value > 0 else None
        fvb = x.df.field(batcher, "MaxInputBytesPerBatch", env)
        max_bytes = fvb.value if fvb is not None and _is_int(fvb.value) and fvb.value > 0 else None
        batch_input = batcher.get("BatchInput")
        if batch_input is not None:
            batch_input = x.df.render_template(batch_input, env, "BatchInput")
        batches, cur, size = [], [], 0
        for item in inputs:
            isize = len(dumps(item).encode())
            full = (max_items is not None and len(cur) >= max_items) or \
                   (max_bytes is not None and cur and size + isize > max_bytes)
            if full:
                batches.append(cur)
                cur, size = [], 0
            cur.append(item)
            size += isize
        if cur:
            batches.append(cur)
        out = []
        for b in batches:
            entry = {"Items": b}
            if batch_input is not None:
                entry = {"BatchInput": batch_input, "Items": b}
            out.append(entry)
        return out

    def _map_run(self, x):
        """(map run ARN, times redriven): a new run, or the one a redrive re-enters.

        The cursor keeps the lane's last map run under "map_run"; step.redrive marks it
        "redrive" when the lane re-enters that very state (any later entry is a new run)."""
        kept = x.cursor.pop("map_run", None)
        if isinstance(kept, dict) and kept.get("redrive") and kept.get("state") == x.name:
            arn, redrives = kept["arn"], int(kept.get("redrives") or 0) + 1
        else:
            arn, redrives = self._map_run_arn(x), 0
        x.cursor["map_run"] = {"arn": arn, "state": x.name, "redrives": redrives}
        return arn, redrives

    def _map_run_arn(self, x):
        sm = x.cursor["ctx"].get("StateMachine", {}).get("Id", "arn:aws:states:us-east-1:123456789012:stateMachine:sm")
        # AWS names the map run after the Map's Label when it has one, else the state.
        label = x.state.get("Label") if isinstance(x.state.get("Label"), str) else x.name
        return sm.replace(":stateMachine:", ":mapRun:") + f"/{label}:{uuid.uuid4()}"

    def _exceeded(self, p) -> bool:
        n = len(p["results"])
        f = p["failures"]
        if p["tol_count"] is None and p["tol_pct"] is None:
            return f > 0
        # Spec/AWS: the Map fails when failures exceed BOTH tolerances that are set.
        over_count = p["tol_count"] is not None and f > p["tol_count"]
        over_pct = p["tol_pct"] is not None and n and f * 100.0 / n > p["tol_pct"]
        if p["tol_count"] is not None and p["tol_pct"] is not None:
            return over_count or over_pct
        return bool(over_count or over_pct)

    def resume(self, x, inbound):
        if isinstance(inbound, S.TaskResult) and x.pending.get("reading"):
            return self._items_read(x, inbound)
        if isinstance(inbound, S.TaskResult) and x.pending.get("writing"):
            return self._results_written(x, inbound)
        if not isinstance(inbound, (S.ChildDone, S.ChildrenDone)):
            return super().resume(x, inbound)
        p = x.pending
        first_error = None
        for _, r in record(x, inbound):
            if r is not None and r["status"] != "SUCCEEDED":
                p["failures"] += 1
                if first_error is None:
                    first_error = r
        if p["failures"] and self._exceeded(p):
            untolerated = p["tol_count"] is None and p["tol_pct"] is None
            if untolerated and first_error is not None:
                err, cause = first_error.get("error"), first_error.get("cause")
            else:
                err, cause = ErrorName.EXCEED_TOLERATED_FAILURE_THRESHOLD.value, EXCEEDED_CAUSE
            if p.get("distributed"):
                x.em.emit("MapRunFailed", error_details(err, cause))
            else:
                aborts.abort_running_children(x, inbound)
            x.cursor["pending"] = {}
            return x.fail(StatesError(err, cause))
        if p["remaining"] > 0:
            return S.Await(x.cursor, x.em.events)
        return self._succeeded(x)

    def _items_read(self, x, inbound):
        plan = {k: x.pending.get(k) for k in ("max_conc", "tol_count", "tol_pct", "map_run_arn", "distributed")}
        try:
            if not inbound.ok:
                raise StatesError(ErrorName.ITEM_READER_FAILED, inbound.cause or inbound.error)
            env = x.env()
            reader = x.state["ItemReader"]
            items = item_reader.items_from(reader, inbound.value, self._max_items(x, env))
        except StatesError as err:
            x.em.emit("MapRunFailed", error_details(err.error, err.cause))
            raise
        x.cursor["phase"] = "active"
        return self._launch(x, env, items, plan)

    @staticmethod
    def _max_items(x, env):
        config = x.state["ItemReader"].get("ReaderConfig") or {}
        fv = x.df.field(config, "MaxItems", env) if config else None
        if fv is not None and _is_int(fv.value) and fv.value > 0:
            return fv.value
        return None

    def _succeeded(self, x):
        p = x.pending
        writer = x.state.get("ResultWriter")
        if writer and p.get("map_run_arn"):
            records = [item_reader.child_record(p["map_run_arn"], i, inp, r, iso(x.em.clock.now()))
                       for i, (inp, r) in enumerate(zip(p.get("inputs") or [], p["results"]))]
            if "Resource" in writer:
                # The results go to S3 first (the driver's writer); the Map ends when it answers.
                x.cursor["pending"] = {"writing": True, "map_run_arn": p["map_run_arn"],
                                       "distributed": True}
                x.cursor["phase"] = "writing"
                return S.InvokeTask(x.cursor, x.em.events,
                                    item_reader.writer_request(x, x.env(), records))
            outputs = item_reader.transformed(records, item_reader.writer_config(x)["Transformation"])
            return self._finish(x, p, outputs)
        outputs = []
        for r in p["results"]:
            if r["status"] == "SUCCEEDED":
                outputs.append(r["output"])
            else:
                # A tolerated failure contributes its error output (AWS writes these to the
                # ResultWriter's FAILED manifest; without one we keep them in place).
                outputs.append({"Error": r.get("error"), "Cause": r.get("cause")})
        return self._finish(x, p, outputs)

    def _results_written(self, x, inbound):
        p = x.pending
        if not inbound.ok:
            err = StatesError(ErrorName.RESULT_WRITER_FAILED, inbound.cause or inbound.error)
            x.em.emit("MapRunFailed", error_details(err.error, err.cause))
            x.cursor["pending"] = {}
            return x.fail(err)
        value = inbound.value if isinstance(inbound.value, dict) else {}
        details = value.get("ResultWriterDetails")
        if not isinstance(details, dict):
            # Nothing was written (a mock, a handler, or S3 calls off): AWS's pointer all the same.
            writer = x.state["ResultWriter"]
            template = writer.get("Arguments", writer.get("Parameters"))
            params = x.df.render_template(template, x.env(), "ResultWriter") if template else {}
            details = item_reader.result_writer_output(p["map_run_arn"], params)["ResultWriterDetails"]
        return self._finish(x, p, {"MapRunArn": p["map_run_arn"], "ResultWriterDetails": details})

    def _finish(self, x, p, outputs):
        if p.get("distributed"):
            x.em.emit("MapRunSucceeded")
        if not p.get("distributed"):
            # AWS: MapStateSucceeded follows the last MapIterationSucceeded, and MapStateExited
            # has the same previousEventId.
            x.em.prev = max(x.em.prev, p.get("last", 0))
        x.em.emit("MapStateSucceeded", chain=bool(p.get("distributed")))
        return x.succeed(outputs)
