"""Choice: "adds branching logic" (spec "Choice State"). No result: InputPath/OutputPath apply.

Rule evaluation belongs to the data flow (JSONPath: B's choice_rules; JSONata: Condition).
"""
from .base import StateType, register


@register
class ChoiceState(StateType):
    type_name = "Choice"

    def attempt(self, x):
        outcome = x.df.choose(x.state, x.env())
        return x.succeed(None, output=outcome.output, assigned=outcome.assigned, next_state=outcome.next)
