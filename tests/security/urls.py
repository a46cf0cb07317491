"""Every URL of the URLconf, as one concrete path per pattern (for the "refuses anonymous" walk).

Walks `get_resolver()` and fills each pattern's parameters with a sample value (route
converters by type, regex groups by their first alternative), then checks the sample
resolves back to the same view, so a new pattern cannot slip past the walk unfilled.
"""
from __future__ import annotations

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLE_UUID = str(uuid.UUID(int=1))
_CONVERTER = {"uuid": SAMPLE_UUID, "int": "1", "path": "1", "str": "x", "slug": "x"}


def _route_sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _CONVERTER[m.group(1) or "str"], route)


def _regex_sample(regex: str) -> str:
    regex = regex.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\A", "")

    def group(m):
        body = m.group(1)
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]  # (auth|engine|…) → auth
        if body in (".*", ".+", "[^/]+", "[^/]*", "[\\w-]+", "\\d+", "[0-9]+"):
            return "1"
        return "x"

    sample = re.sub(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)", group, regex)
    return sample.replace(".*", "x").replace(".+", "x").replace("\\", "")


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_sample(str(pattern))
    if isinstance(pattern, RegexPattern):
        return _regex_sample(pattern.regex.pattern)
    raise TypeError(f"unknown pattern type {type(pattern)}")


def all_urls() -> list[tuple[str, str]]:
    """(path, view name) of every URL pattern, depth first, in URLconf order."""
    out = []

    def walk(resolver: URLResolver, prefix: str):
        for entry in resolver.url_patterns:
            here = prefix + _sample(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, here)
            elif isinstance(entry, URLPattern):
                out.append(("/" + here, entry.lookup_str))

    walk(get_resolver(), "")
    return out


def resolves_to(path: str) -> str:
    return resolve(path)._func_path
