"""Succeed: "stops an execution successfully" (spec "Succeed State"); InputPath/OutputPath apply.

A Succeed state ends its lane (the execution, a Parallel branch or a Map iteration).
"""
from .base import StateType, register


@register
class SucceedState(StateType):
    type_name = "Succeed"

    def attempt(self, x):
        env = x.env()
        # No result: the effective input plays the result, ResultPath is absent ("$").
        return x.succeed(x.df.effective_input(x.state, env))
