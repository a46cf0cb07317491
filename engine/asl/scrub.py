"""Error causes without the server's absolute file paths.

A cause travels far: into the history, the API, the live page, a webhook. A handler's
traceback or an exception message naming `/home/deploy/app/.venv/lib/python3.12/...` tells
every reader where the server keeps its code and who runs it, and hides the part that
matters (`myapp/handlers.py`, line 12). Causes are scrubbed where they are made: a path
under an import root (a `sys.path` entry: the project, site-packages, the standard library)
or the working directory becomes relative to it; any other absolute path keeps only its
last two parts.
"""
from __future__ import annotations

import functools
import os
import re
import sys
import traceback

# An absolute POSIX path (at least two parts) inside a message: after a quote, a space, a
# bracket or the start of the text.
_ABSOLUTE = re.compile(r"(?<![\w.~/-])/(?:[\w.@+-]+/)+[\w.@+-]+")


@functools.lru_cache(maxsize=8)
def _roots(path_key: tuple, cwd: str) -> tuple[str, ...]:
    roots = {os.path.abspath(p) for p in path_key if p and os.path.isabs(p)}
    roots.add(cwd)
    roots.discard(os.sep)
    # Longest first: site-packages wins over the virtualenv that holds it.
    return tuple(sorted((r.rstrip(os.sep) + os.sep for r in roots), key=len, reverse=True))


def relative(filename: str) -> str:
    """`filename` relative to its import root; an unknown absolute path keeps two parts."""
    if not filename.startswith(os.sep):
        return filename
    for root in _roots(tuple(sys.path), os.getcwd()):
        if filename.startswith(root):
            return filename[len(root):]
    parts = [p for p in filename.split(os.sep) if p]
    return os.path.join(*parts[-2:]) if parts else filename


def scrub_paths(text):
    """`text` with every absolute path made relative (non-text passes through)."""
    if not isinstance(text, str) or os.sep not in text:
        return text
    return _ABSOLUTE.sub(lambda m: relative(m.group(0)), text)


_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def stack_trace(tb) -> list[str]:
    """`traceback.format_tb(tb)` with relative file names (Lambda's `stackTrace` shape).

    The evaluator's own frames that called the handler come first in the traceback; as
    Lambda hides its runtime's frames, they are left out (all of them, should the error be
    the evaluator's own: then nothing else explains it).
    """
    frames = traceback.extract_tb(tb)
    first = next((i for i, f in enumerate(frames) if not f.filename.startswith(_HERE)), 0)
    frames = traceback.StackSummary.from_list(frames[first:])
    for frame in frames:
        frame.filename = relative(frame.filename)
    return [scrub_paths(line) for line in frames.format()]
