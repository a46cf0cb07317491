"""`QueryLanguage: JSONata` data flow: Arguments, Output, Assign and `{% %}` fields.

AWS docs ("Transforming data with JSONata"): a JSONata state has two data fields,
`Arguments` (what a Task/Parallel receives; default the state input) and `Output` (what the
state passes on; default the result, or the input for states without one). Expressions read
`$states.input` (the raw state input), `$states.context`, `$states.result` (Task, Parallel
and Map: in Output and Assign), `$states.errorOutput` (in a Catcher's Output and Assign) and
workflow variables. Assign and Output see the same `$states` and the variables as they were
on entering the state; the caller stores `assigned` afterwards (variables.assign).
"""
from __future__ import annotations

from typing import Any

from ..errors import ErrorName, StatesError
from .. import choice_rules, jsonata
from ..jsonata import causes
from ..limits import dumps
from .base import ChoiceOutcome, DataFlow, Env, FieldValue

# States whose `$states.result` AWS exposes (the work they do produces a result).
_RESULT_STATES = frozenset({"Task", "Parallel", "Map"})
_PREFIX = "An error occurred while executing the state"


def _located(env: Env, error: StatesError) -> StatesError:
    """Prefix AWS's "An error occurred while executing the state ..." to an evaluation cause."""
    cause = error.cause or ""
    if error.error != ErrorName.QUERY_EVALUATION_ERROR.value or cause.startswith(_PREFIX):
        return error
    located = StatesError(error.error, f"{env.where()} {cause}")
    located.location = getattr(error, "location", None)
    return located


class JSONataDataFlow(DataFlow):
    query_language = "JSONata"

    # -- helpers -------------------------------------------------------------------------
    def bindings(self, env: Env, *, result: bool = False, error_output: bool = False,
                 context: dict | None = None) -> jsonata.Bindings:
        states: dict[str, Any] = {"input": env.input,
                                  "context": env.context if context is None else context}
        if result:
            states["result"] = env.result
        if error_output:
            states["errorOutput"] = env.error_output
        return jsonata.Bindings(states=states, variables=env.variables)

    def render(self, template: Any, bindings: jsonata.Bindings, field: str, env: Env) -> Any:
        try:
            return jsonata.render(template, bindings, field)
        except StatesError as error:
            raise _located(env, error) from None

    def _fail(self, env: Env, cause: str, location: str | None = None) -> StatesError:
        error = StatesError(ErrorName.QUERY_EVALUATION_ERROR, f"{env.where()} {cause}")
        error.location = location
        return error

    def _output_and_assign(self, holder: dict, default: Any, bindings, env: Env):
        # Assign and Output are evaluated against the same bindings ("in parallel"), so
        # neither sees the other's effect.
        assigned = (self.render(holder["Assign"], bindings, "Assign", env)
                    if holder.get("Assign") else {})
        output = (self.render(holder["Output"], bindings, "Output", env)
                  if "Output" in holder else default)
        return output, assigned

    # -- interface -----------------------------------------------------------------------
    def effective_input(self, state: dict, env: Env) -> Any:
        return env.input  # JSONata states have no InputPath

    def arguments(self, state: dict, env: Env) -> Any:
        if "Arguments" not in state:
            return env.input
        return self.render(state["Arguments"], self.bindings(env), "Arguments", env)

    def pass_result(self, state: dict, env: Env) -> Any:
        return env.input

    def output(self, state: dict, env: Env):
        with_result = state.get("Type") in _RESULT_STATES
        return self._output_and_assign(state, env.result, self.bindings(env, result=with_result), env)

    def catch_output(self, catcher: dict, env: Env):
        # AWS: without Output a Catcher passes the error output ({"Error","Cause"}) on.
        return self._output_and_assign(catcher, env.error_output,
                                       self.bindings(env, error_output=True), env)

    def field(self, state: dict, name: str, env: Env) -> FieldValue | None:
        if name not in state:
            return None
        template = state[name]
        expression = jsonata.expression_text(template) if jsonata.is_expression(template) else None
        if expression is None and not jsonata.contains_expression(template):
            return FieldValue(template, name, None)
        return FieldValue(self.render(template, self.bindings(env), name, env), name, expression)

    def map_items(self, state: dict, env: Env) -> list:
        if "Items" not in state:
            items = env.input
            if not isinstance(items, list):
                # Same wording as JSONPath mode (recorded with QueryLanguage JSONata).
                raise self._fail(env, f"Map state input must be an array but was: {dumps(items)}")
            return items
        fv = self.field(state, "Items", env)
        if not isinstance(fv.value, list):
            if fv.expression is not None:
                raise self._fail(env, causes.unexpected_type(fv.expression, "Items", "array", fv.value),
                                 "Items")
            raise self._fail(env, f"Map state input must be an array but was: {dumps(fv.value)}")
        return fv.value

    def item_input(self, state: dict, env: Env, index: int, value) -> Any:
        template = state.get("ItemSelector")
        if template is None:
            return value
        ienv = env.with_map_item(index, value)
        # `$states.context.Map.Item.Index/Value` are readable in ItemSelector; `$states.input`
        # stays the Map state's input.
        return self.render(template, self.bindings(env, context=ienv.context), "ItemSelector", env)

    def render_template(self, template, env: Env, field: str):
        """ItemBatcher BatchInput, ItemReader Arguments...: `{% %}` strings over $states.input."""
        return self.render(template, self.bindings(env), field, env)

    def condition(self, rule: dict, bindings, env: Env) -> bool:
        cond = rule.get("Condition")
        if isinstance(cond, bool):
            return cond
        if not jsonata.is_expression(cond):
            raise self._fail(env, f"The Condition field must be a boolean or a JSONata expression, "
                                  f"but was: {dumps(cond)}")
        value = self.render(cond, bindings, "Condition", env)
        if not isinstance(value, bool):
            raise self._fail(env, causes.unexpected_type(
                jsonata.expression_text(cond), "Condition", "boolean", value), "Condition")
        return value

    def choose(self, state: dict, env: Env) -> ChoiceOutcome:
        bindings = self.bindings(env)
        for rule in state.get("Choices", []):
            # Spec: the first matching rule wins; its own Assign/Output apply.
            if self.condition(rule, bindings, env):
                output, assigned = self._output_and_assign(rule, env.input, bindings, env)
                return ChoiceOutcome(rule["Next"], output, assigned)
        default = state.get("Default")
        if default is None:
            raise choice_rules.no_choice_matched()  # same wording as JSONPath mode
        # Default taken: the state-level Assign/Output apply.
        output, assigned = self._output_and_assign(state, env.input, bindings, env)
        return ChoiceOutcome(default, output, assigned)
