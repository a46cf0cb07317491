"""JSONPath as AWS Step Functions reads it: Jayway JsonPath's grammar and semantics.

    compile_path("$.items[?(@.price > 10)].name") -> CompiledPath   (cached per text)
    CompiledPath.read(document)    definite: the value (NoResults if none); else a list
    CompiledPath.definite          True when read returns the value itself

`compiler.py` is the path grammar, `filters.py` the `[?( … )]` expressions, `evaluate.py` how
tokens walk a document; each says where it departs from Jayway and on what evidence.
`engine.asl.paths` is the interface the interpreter uses (roots `$$` and `$var`, the fast
path for plain member chains, causes in AWS's words).
"""
from __future__ import annotations

import functools

from . import tokens as T
from .compiler import JsonPathSyntaxError, compile_tokens
from .evaluate import Evaluation, NotFound, apply_function

__all__ = ["CompiledPath", "JsonPathSyntaxError", "NoResults", "compile_path"]


class NoResults(NotFound):
    """A definite path selected nothing (or could not be followed)."""


class CompiledPath:
    __slots__ = ("text", "tokens", "definite", "upstream", "inverted_function")

    def __init__(self, text: str, tokens: tuple):
        self.text = text
        self.inverted_function = None
        if tokens and isinstance(tokens[0], T.Scan) and isinstance(tokens[-1], T.Function):
            # Jayway (CompiledPath.invertScannerFunctionRelationship): `$..x.length()` is
            # length($..x), and Length reads its argument path with a wildcard appended:
            # the number of items of the matches ("$..book.length(): the number of books",
            # Jayway's README).
            self.inverted_function, tokens = tokens[-1], tokens[:-1] + (T.Wildcard(),)
        self.tokens = tokens
        last = len(tokens) - 1
        flags = [T.is_definite_token(t, i == last) for i, t in enumerate(tokens)]
        self.upstream = tuple(all(flags[:i]) for i in range(len(tokens)))
        self.definite = self.inverted_function is not None or all(flags)

    def normalized(self) -> str:
        extra = (self.inverted_function,) if self.inverted_function else ()
        return T.normalized(self.tokens + extra)

    def _matches(self, document, root) -> list:
        ev = Evaluation(self.tokens, self.upstream, document if root is None else root)
        ev.walk(0, (), document)
        return ev.results

    def read(self, document, root=None):
        """The value (definite path) or the list of matches. NoResults when a definite path
        selects nothing, with Jayway's explanation."""
        try:
            results = self._matches(document, root)
            if self.inverted_function is not None:
                return apply_function(self.inverted_function, results)
        except NoResults:
            raise
        except NotFound as exc:
            raise NoResults(exc.detail) from None
        if not self.definite:
            return results
        if not results:
            raise NoResults(f"No results for path: {self.normalized()}")
        return results[-1]  # Jayway returns the last match of a definite path

    def value_or_undefined(self, document, root, undefined):
        """What a filter sees for `@.x` / `$.x`: the value, a list, or `undefined` when a
        definite path selects nothing."""
        try:
            return self.read(document, root)
        except NotFound:
            return undefined

    def exists(self, document, root) -> bool:
        """`[?(@.x)]`: the path selects something (Jayway evaluates it with
        REQUIRE_PROPERTIES: any missing property on the way is a miss)."""
        try:
            found = self.read(document, root)
        except NotFound:
            return False
        return self.definite or bool(found)


@functools.lru_cache(maxsize=4096)
def compile_path(text: str) -> CompiledPath:
    """The compiled path; JsonPathSyntaxError when Jayway would refuse the text."""
    return CompiledPath(text, compile_tokens(text))
