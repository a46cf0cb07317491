"""Definition substitutions: `${Name}` placeholders, as SAM and CDK users keep definitions.

CloudFormation's `AWS::StepFunctions::StateMachine` takes `DefinitionSubstitutions`, "a map
(string to string) that specifies the mappings for placeholder variables in the state machine
definition", written `${key}` (CloudFormation user guide). SAM definition files
(`statemachine/*.asl.json`) use them inside strings — `"Resource": "${OrderFunctionArn}"` —
and also bare, where a number or boolean goes: `"Seconds": ${WaitSeconds}`, which is not JSON
until substituted. AWS Step Functions itself never sees a placeholder: they are replaced
before the definition is created.

Here a definition may be stored and edited with placeholders and is resolved when it runs:

* `find(doc)` lists every placeholder with its location (JSON pointer parts), for the
  validator's warnings; `unclosed(s)` spots a `${` without its `}`.
* `parse_text(text)` reads definition text in which bare `${Name}` values may stand; each one
  becomes an `Unquoted` string (a `str` subclass) so checks can tell it from `"${Name}"`.
* `resolve_text(text, subs)` and `resolve(doc, subs)` substitute, as CloudFormation does on the
  definition string: inside a JSON string the value is inserted as string content (escaped),
  a bare placeholder is replaced by the value's JSON text (`30`, `true`, `"x"`).
* `unresolved(doc)` names what is left; a definition with placeholders must not start.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

# `${Name}`: CloudFormation names (template parameters, `Resource.Attribute`, `AWS::Region`).
# `${!Literal}` is CloudFormation's escape for a literal `${`: not a placeholder.
PLACEHOLDER = re.compile(r"\$\{(?!!)([^${}\s]+)\}")
_OPEN = "${"
_MARK = "\ue000"  # a private-use character marking bare placeholders while the JSON is parsed


class Unquoted(str):
    """A bare `${Name}` read from definition text: JSON text goes in its place."""

    __slots__ = ()


class SubstitutionError(ValueError):
    """A substitution that cannot be made (a bare placeholder whose value is not JSON)."""


def names_in(value: str) -> list[str]:
    return PLACEHOLDER.findall(value)


def has_placeholder(value: Any) -> bool:
    return isinstance(value, str) and _OPEN in value and PLACEHOLDER.search(value) is not None


_UNCLOSED = re.compile(r"\$\{(?!!)[^}]*\Z")


def unclosed(value: str) -> bool:
    """True when the string has a `${` never closed by a `}` (`"${Wait"`). A closed `${…}`
    that is no placeholder (`States.Format('Total: ${}', $.n)`, `${ a b }`) is plain text."""
    return _OPEN in value and _UNCLOSED.search(PLACEHOLDER.sub("", value)) is not None


def find(doc: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str, bool]]:
    """(location, string, is_key) for every string of `doc` (object keys included) that
    holds `${`. A key's location is that of its value."""
    if isinstance(doc, str):
        if _OPEN in doc:
            yield loc, doc, False
    elif isinstance(doc, dict):
        for key, value in doc.items():
            if isinstance(key, str) and _OPEN in key:
                yield loc + (key,), key, True
            yield from find(value, loc + (key,))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from find(value, loc + (i,))


_ENCODE = json.JSONEncoder(check_circular=False, ensure_ascii=False, default=str).encode


def may_hold(doc: Any) -> bool:
    """False when no string of `doc` holds `${` (one C-speed encoding instead of a Python
    walk: most definitions have no placeholder, and this runs before every local run)."""
    try:
        return _OPEN in _ENCODE(doc)
    except (TypeError, ValueError, RecursionError):
        return True


def unresolved(doc: Any) -> list[str]:
    """The placeholder names still in `doc`, sorted."""
    if not may_hold(doc):
        return []
    found: set[str] = set()
    for _, text, _ in find(doc):
        found.update(names_in(text))
    return sorted(found)


# -- text -------------------------------------------------------------------------------------

def _scan(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, in_string) of every `${Name}` in JSON-ish text, bare or inside strings."""
    i, n, in_string = 0, len(text), False
    while i < n:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
            elif c == "$" and text.startswith(_OPEN, i):
                m = PLACEHOLDER.match(text, i)
                if m:
                    yield m.start(), m.end(), True
                    i = m.end()
                    continue
        elif c == '"':
            in_string = True
        elif c == "$" and text.startswith(_OPEN, i):
            m = PLACEHOLDER.match(text, i)
            if m:
                yield m.start(), m.end(), False
                i = m.end()
                continue
        i += 1


def has_bare_placeholders(text: str) -> bool:
    return any(not in_string for _, _, in_string in _scan(text))


def parse_text(text: str, **loads_kwargs) -> Any:
    """`json.loads` for definition text that may hold bare `${Name}` values (SAM's form);
    each becomes an `Unquoted` string. Raises ValueError as json.loads does."""
    if _OPEN not in text or _MARK in text:
        return json.loads(text, **loads_kwargs)
    out, last = [], 0
    for start, end, in_string in _scan(text):
        if in_string:
            continue
        out.append(text[last:start])
        out.append(json.dumps(_MARK + text[start:end]))
        last = end
    if not out:
        return json.loads(text, **loads_kwargs)
    out.append(text[last:])
    return _unmark(json.loads("".join(out), **loads_kwargs))


def _unmark(value: Any) -> Any:
    if isinstance(value, str):
        return Unquoted(value[1:]) if value.startswith(_MARK) else value
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = _unmark(item)
        return value
    if isinstance(value, list):
        return [_unmark(item) for item in value]
    return value


def _bare_value(name: str, raw: str) -> str:
    """The JSON text a bare placeholder becomes. CloudFormation pastes the value as it is;
    a value that is not JSON text would make the definition invalid JSON, so it is refused
    here with the placeholder's name."""
    try:
        json.loads(raw)
    except ValueError:
        raise SubstitutionError(f"The substitution for ${{{name}}} is not a JSON value: "
                                f"{raw!r} (a bare placeholder is replaced by JSON text, "
                                "for example 30, true or \"text\")") from None
    return raw


def resolve_text(text: str, substitutions: dict[str, str]) -> str:
    """The text with every placeholder that `substitutions` names replaced; others stay."""
    if _OPEN not in text or not substitutions:
        return text
    out, last = [], 0
    for start, end, in_string in _scan(text):
        name = text[start + 2:end - 1]
        if name not in substitutions:
            continue
        value = str(substitutions[name])
        out.append(text[last:start])
        out.append(json.dumps(value)[1:-1] if in_string else _bare_value(name, value))
        last = end
    out.append(text[last:])
    return "".join(out)


def resolve(doc: Any, substitutions: dict[str, str]) -> Any:
    """A parsed definition with the placeholders `substitutions` names replaced (a copy)."""
    if isinstance(doc, Unquoted):
        m = PLACEHOLDER.fullmatch(doc)
        if m and m.group(1) in substitutions:
            return json.loads(_bare_value(m.group(1), str(substitutions[m.group(1)])))
        return doc
    if isinstance(doc, str):
        if _OPEN not in doc:
            return doc
        return PLACEHOLDER.sub(
            lambda m: str(substitutions[m.group(1)]) if m.group(1) in substitutions
            else m.group(0), doc)
    if isinstance(doc, dict):
        return {resolve(k, substitutions): resolve(v, substitutions) for k, v in doc.items()}
    if isinstance(doc, list):
        return [resolve(v, substitutions) for v in doc]
    return doc


def check_map(substitutions: Any) -> dict[str, str]:
    """`definitionSubstitutions` as given by a caller: a map of names to strings (numbers and
    booleans are taken as their JSON text). ValueError says what is wrong."""
    if substitutions is None:
        return {}
    if not isinstance(substitutions, dict):
        raise ValueError("definitionSubstitutions must be a map of names to strings")
    out = {}
    for key, value in substitutions.items():
        if not isinstance(key, str) or not key or PLACEHOLDER.fullmatch("${" + key + "}") is None:
            raise ValueError(f"Invalid substitution name: {key!r}")
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = json.dumps(value)
        elif not isinstance(value, str):
            raise ValueError(f"The substitution for {key!r} must be a string")
        out[key] = value
    return out


def unresolved_message(names: list[str]) -> str:
    listed = ", ".join("${" + n + "}" for n in names)
    return (f"The definition has unresolved substitutions: {listed}. Give them as "
            "definitionSubstitutions when you start the execution, or substitute them in "
            "the definition.")
