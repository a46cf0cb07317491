"""Parallel: "create parallel branches of execution" (spec "Parallel State").

Each branch gets the state's (Parameters-rendered) effective input; the result is the array
of branch outputs in branch order. "If any branch fails ... the entire Parallel State fails"
with that branch's error; the driver abandons the other branches.
"""
from ..errors import StatesError
from .. import aborts, step as S
from .base import StateType, register


def record(x, inbound) -> list:
    """Store child results in the cursor; returns the (index, result) pairs just received."""
    p = x.pending
    got = [(inbound.index, inbound.result)] if isinstance(inbound, S.ChildDone) else list(enumerate(inbound.results))
    results = p["results"]
    # AWS: what the state emits next follows on from the children's last state events
    # (`prev`; `last` = their last event). A Distributed Map's children have their own histories.
    chained = not p.get("distributed")
    prev, last = x.em.prev, p.get("last", 0)
    for i, r in got:
        if results[i] is None:
            p["remaining"] -= 1
        results[i] = r
        if chained and r is not None:
            rp = r.get("prev")
            if rp is not None:
                if rp > prev:
                    prev = rp
                rl = r.get("last") or 0
                if rl > last:
                    last = rl
    if chained:
        x.em.prev = prev
        p["last"] = last
    return got


@register
class ParallelState(StateType):
    type_name = "Parallel"
    can_retry = True
    failed_event = "ParallelStateFailed"

    def attempt(self, x):
        args = x.df.arguments(x.state, x.env())
        x.em.emit("ParallelStateStarted")
        branches = x.state["Branches"]
        c = x.cursor
        children = [
            S.start(x.root, args, c["ctx"], kind=S.BRANCH, path=x.machine.path + ((x.name, i),),
                    index=i, parent_state=x.name, variables=c["vars"], prev_event_id=x.em.prev)
            for i in range(len(branches))
        ]
        c["pending"] = {"results": [None] * len(branches), "remaining": len(branches)}
        c["phase"] = "children"
        return S.FanOut(c, x.em.events, children, 0, False)

    def resume(self, x, inbound):
        if not isinstance(inbound, (S.ChildDone, S.ChildrenDone)):
            return super().resume(x, inbound)
        for _, r in record(x, inbound):
            if r is not None and r["status"] != "SUCCEEDED":
                aborts.abort_running_children(x, inbound)
                x.cursor["pending"] = {}
                return x.fail(StatesError(r.get("error"), r.get("cause")))
        if x.pending["remaining"] > 0:
            return S.Await(x.cursor, x.em.events)
        outputs = [r["output"] for r in x.pending["results"]]
        x.em.emit("ParallelStateSucceeded", chain=False)  # AWS: Exited follows the branches
        return x.succeed(outputs)
