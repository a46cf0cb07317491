"""`QueryLanguage: JSONPath` data flow, built on B's paths / payload / intrinsics / choice_rules.

Spec "Input and Output Processing": InputPath → Parameters → (work) → ResultSelector →
ResultPath → OutputPath. Values are never mutated in place: `write_result_path` returns a
new top-level object and shares the untouched sub-trees, so no deepcopy per transition.
"""
from __future__ import annotations

from ..errors import ErrorName, StatesError
from ..limits import dumps
from .base import _MISSING, ChoiceOutcome, DataFlow, Env, FieldValue, compiled_for
from .. import paths, payload, intrinsics, choice_rules


class FieldPathNotFound(StatesError):
    """A `*Path` field whose path selects nothing; states word the cause per field."""

    def __init__(self, field: str, path: str, cause: str):
        super().__init__(ErrorName.RUNTIME, cause)
        self.field = field
        self.path = path


def bracket_path(path: str) -> str:
    """`$.a.b` → `$['a']['b']`, the form AWS quotes in "No results for path" causes."""
    if not path.startswith("$"):
        return path
    out = "$"
    for part in path[1:].lstrip(".").split("."):
        if part:
            out += f"['{part}']"
    return out


def _not_found_cause(path: str, ex: Exception) -> str:
    given = getattr(ex, "cause", None)
    if isinstance(given, str) and given:
        return given
    return f"Invalid path '{path}' : No results for path: {bracket_path(path)}"


class JSONPathDataFlow(DataFlow):
    query_language = "JSONPath"

    # -- helpers -------------------------------------------------------------------------
    def read(self, path: str, data, env: Env, field: str = ""):
        """A path or intrinsic call (intrinsics are allowed wherever a `.$` value is)."""
        if intrinsics.is_intrinsic(path):
            return intrinsics.evaluate(path, data, env.context, env.variables)
        try:
            return paths.read_path(path, data, env.context, env.variables)
        except paths.PathNotFound as ex:
            raise FieldPathNotFound(field, path, _not_found_cause(path, ex)) from None

    def render(self, template, data, env: Env):
        """A payload template (Parameters, ResultSelector, Assign…) over `data`, compiled
        once per machine (payload.compile_template)."""
        fn, reads_context = compiled_for(env, template, _compile_template)
        return fn(data, env.context if reads_context else None, env.variables)

    def _apply_path(self, state: dict, key: str, data, env: Env):
        # Spec: "If the value of InputPath/OutputPath is null, ... the output is {}";
        # absent means "$" (the whole value).
        if key not in state:
            return data
        path = state[key]
        if path is None:
            return {}
        if path == "$":
            return data
        return self.read(path, data, env, key)

    def _assign(self, holder: dict, data, env: Env) -> dict:
        template = holder.get("Assign")
        if not template:
            return {}
        # JSONPath Assign: `.$` values read the state's result (or effective input for
        # states without one); `$$` the context object; `$var` earlier variables.
        return self.render(template, data, env)

    # -- interface -----------------------------------------------------------------------
    def effective_input(self, state: dict, env: Env):
        eff = env._effective
        if eff is _MISSING:
            # (The membership tests before the calls skip a call for absent fields: these
            # run on every state entry.)
            eff = env.input if "InputPath" not in state else \
                self._apply_path(state, "InputPath", env.input, env)
            env._effective = eff
        return eff

    def arguments(self, state: dict, env: Env):
        eff = self.effective_input(state, env)
        if "Parameters" in state:
            return self.render(state["Parameters"], eff, env)
        return eff

    def pass_result(self, state: dict, env: Env):
        if "Result" in state:
            return state["Result"]
        return self.arguments(state, env)

    def output(self, state: dict, env: Env):
        result = env.result
        if "ResultSelector" in state:
            result = self.render(state["ResultSelector"], result, env)
        assigned = self._assign(state, result, env) if "Assign" in state else {}
        merged = result if "ResultPath" not in state else \
            self._result_path(state, env.input, result, env)
        if "OutputPath" not in state:
            return merged, assigned
        return self._apply_path(state, "OutputPath", merged, env), assigned

    def _result_path(self, holder: dict, raw_input, result, env: Env):
        # Spec: ResultPath absent = "$" (result replaces input); null = discard result.
        if "ResultPath" not in holder or holder["ResultPath"] == "$":
            return result
        if holder["ResultPath"] is None:
            return raw_input
        return paths.write_result_path(raw_input, holder["ResultPath"], result)

    def catch_output(self, catcher: dict, env: Env):
        err = env.error_output
        assigned = self._assign(catcher, err, env) if "Assign" in catcher else {}
        return self._result_path(catcher, env.input, err, env), assigned

    def field(self, state: dict, name: str, env: Env):
        if name in state:
            return FieldValue(state[name], name, None)
        pkey = name + "Path"
        if pkey in state:
            expr = state[pkey]
            data = self.effective_input(state, env)
            return FieldValue(self.read(expr, data, env, pkey), pkey, expr)
        return None

    def map_items(self, state: dict, env: Env):
        eff = self.effective_input(state, env)
        path = state.get("ItemsPath", "$")
        items = eff if path == "$" else self.read(path, eff, env, "ItemsPath")
        if not isinstance(items, list):
            # AWS renders the offending value as compact JSON, e.g. `... but was: true`.
            raise StatesError(ErrorName.QUERY_EVALUATION_ERROR,
                              f"{env.where()} Map state input must be an array but was: {dumps(items)}")
        return items

    def item_input(self, state: dict, env: Env, index: int, value):
        # "ItemSelector" replaced the Map's "Parameters" (same meaning, evaluated per item).
        template = state.get("ItemSelector", state.get("Parameters"))
        if template is None:
            return value
        ienv = env.with_map_item(index, value)
        eff = self.effective_input(state, env)
        return compiled_for(env, template, payload.compile_template)(eff, ienv.context, env.variables)

    def render_template(self, template, env: Env, field: str):
        eff = self.effective_input({}, env) if env._effective is _MISSING else env._effective
        return self.render(template, eff, env)

    def choose(self, state: dict, env: Env):
        eff = self.effective_input(state, env)
        assigned = {}
        for rule, matches, reads_context in compiled_for(env, state, _compile_choices):
            # Spec: "the interpreter ... takes the first [Choice Rule] that matches".
            if matches(eff, env.context if reads_context else None, env.variables):
                nxt = rule["Next"]
                if "Assign" in rule:
                    assigned = self._assign(rule, eff, env)
                break
        else:
            # No rule matched: Default, or States.NoChoiceMatched in B's wording.
            nxt = choice_rules.choose([], state.get("Default"), eff)  # no rule left to read anything
            if "Assign" in state:
                assigned = self._assign(state, eff, env)
        out = eff if "OutputPath" not in state else self._apply_path(state, "OutputPath", eff, env)
        return ChoiceOutcome(nxt, out, assigned)


def _compile_choices(state: dict) -> list:
    """[(rule, compiled rule, whether it may read the context object)] of a Choice state."""
    return [(rule, choice_rules.compile_rule(rule), _mentions_context(rule))
            for rule in state.get("Choices", [])]


def _compile_template(template) -> tuple:
    """(compiled template, whether it may read the context object)."""
    return payload.compile_template(template), _mentions_context(template)


def _mentions_context(value) -> bool:
    """False when nothing in a template or rule can read the context object, so the state's
    context object need not be built for it. The context is only read through a `$$…` path
    (a `.$` value, a Variable, an intrinsic argument): any string containing `$$` counts."""
    if isinstance(value, str):
        return "$$" in value
    if isinstance(value, dict):
        return any(_mentions_context(v) for v in value.values())
    if isinstance(value, list):
        return any(_mentions_context(v) for v in value)
    return False
