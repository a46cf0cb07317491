"""Fail: "stops the execution ... and marks it as a failure" (spec "Fail State").

Error/Cause are literals or (JSONPath) ErrorPath/CausePath — a path or an intrinsic — read
from the state's input; (JSONata) `{% %}` expressions. A Fail state has no Retry/Catch.
"""
from ..errors import ErrorName, StatesError
from .base import StateType, Terminal, register


@register
class FailState(StateType):
    type_name = "Fail"

    def attempt(self, x):
        env = x.env()
        values = []
        for name in ("Error", "Cause"):
            try:
                fv = x.df.field(x.state, name, env)
            except StatesError as ex:
                if ex.error == ErrorName.RUNTIME.value:
                    raise Terminal(ex.error, ex.cause) from None
                raise
            value = None if fv is None else fv.value
            if value is not None and not isinstance(value, str):
                # AWS: ErrorPath/CausePath must select a string.
                raise x.runtime_error(f"The {fv.field} field refers to a value that is not a string: {fv.expression}")
            values.append(value)
        return x.fail_lane(values[0], values[1], aborted=False)
