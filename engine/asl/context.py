"""The context object (`$$` in JSONPath, `$states.context` in JSONata).

Spec "Context Object": "an internal JSON structure that is available during an execution,
and contains information about your state machine and execution". AWS's shape:

    {"Execution": {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount"},
     "StateMachine": {"Id", "Name"},
     "State": {"EnteredTime", "Name", "RetryCount"?},
     "Task": {"Token"}?,                 # callback / .sync tasks only
     "Map": {"Item": {"Index", "Value"}}?}  # Map ItemSelector only

The execution part is fixed per execution and lives in the cursor (`ctx`); the state part is
added per state entry.
"""
from __future__ import annotations

from datetime import datetime

from .clock import iso

# The local driver has no AWS account; AWS documentation uses this placeholder account id.
LOCAL_ACCOUNT = "123456789012"


def execution_context(input_value, name: str = "execution", machine_name: str = "StateMachine",
                      region: str = "us-east-1", account: str = LOCAL_ACCOUNT,
                      start_time: datetime | None = None, role_arn: str | None = None,
                      state_machine_type: str = "STANDARD") -> dict:
    """The `$$.Execution` / `$$.StateMachine` parts."""
    sm_arn = f"arn:aws:states:{region}:{account}:stateMachine:{machine_name}"
    kind = "express" if state_machine_type == "EXPRESS" else "execution"
    execution = {
        "Id": f"arn:aws:states:{region}:{account}:{kind}:{machine_name}:{name}",
        "Input": input_value,
        "Name": name,
        "RoleArn": role_arn or f"arn:aws:iam::{account}:role/StepStudioExecutionRole",
        "StartTime": iso(start_time) if start_time else None,
    }
    if state_machine_type != "EXPRESS":
        # AWS: Standard executions always carry RedriveCount (0 until redriven); Express
        # executions cannot be redriven and have no such field.
        execution["RedriveCount"] = 0
    return {"Execution": execution, "StateMachine": {"Id": sm_arn, "Name": machine_name}}


def for_state(base: dict, state_name: str, entered_time, retry_count: int | None = None,
              task_token: str | None = None) -> dict:
    """The context object seen inside one state.

    AWS only adds `State.RetryCount` in states that retry (Task) and `Task.Token` in callback
    and `.sync` tasks.
    """
    ctx = dict(base)
    st = {"EnteredTime": entered_time if isinstance(entered_time, str) else iso(entered_time),
          "Name": state_name}
    if retry_count is not None:
        st["RetryCount"] = retry_count
    ctx["State"] = st
    if task_token is not None:
        ctx["Task"] = {"Token": task_token}
    return ctx


def with_map_item(ctx: dict, index: int, value) -> dict:
    out = dict(ctx)
    out["Map"] = {"Item": {"Index": index, "Value": value}}
    return out
