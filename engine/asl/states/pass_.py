"""Pass: "passes its input to its output, performing no work" (spec "Pass State").

Result (or Parameters, or the effective input) becomes the result; ResultPath/OutputPath
apply as for any state.
"""
from .base import StateType, register


@register
class PassState(StateType):
    type_name = "Pass"

    def attempt(self, x):
        return x.succeed(x.df.pass_result(x.state, x.env()))
