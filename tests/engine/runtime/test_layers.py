"""engine.runtime's imports run one way: each module imports only lower layers.

The order is declared once, in `engine.runtime.LAYERS`; this test parses every module of the
package (ast, nothing is imported) and fails on an import of the same or a higher layer, on
an import of a runtime module inside a function or class (how a circle is usually dodged),
and on dynamic imports. The checker is tested on sources made to break each rule, so a
checker that saw nothing would fail too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from engine.runtime import LAYERS

PACKAGE = "engine.runtime"
ROOT = Path(__file__).resolve().parents[3] / "engine" / "runtime"


def layer_of() -> dict[str, int]:
    return {name: i for i, names in enumerate(LAYERS) for name in names}


def runtime_imports(node: ast.AST) -> list[str]:
    """The runtime modules an import statement names (`from . import a`, `from .a import x`,
    `from engine.runtime import a`, `from engine.runtime.a import x`, `import engine.runtime.a`)."""
    found = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith(PACKAGE + "."):
                found.append(alias.name.split(".")[2])
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level == 1 or (node.level == 0 and base == PACKAGE):
            if node.level == 1 and base:
                found.append(base.split(".")[0])
            else:
                found.extend(alias.name for alias in node.names)
        elif node.level == 0 and base.startswith(PACKAGE + "."):
            found.append(base.split(".")[2])
        elif node.level > 1:
            found.append("..")  # reaching out of the package relatively: name it
    return found


def violations(module: str, source: str, layers: dict[str, int]) -> list[str]:
    """What in one module's source breaks the layering (empty: nothing)."""
    tree = ast.parse(source)
    problems = []
    mine = layers[module]

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                 ast.Lambda, ast.ClassDef))
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in runtime_imports(child):
                    where = f"{module}.py:{child.lineno} imports {target}"
                    if nested:
                        problems.append(f"{where} inside a function or class")
                    elif target not in layers:
                        problems.append(f"{where}, which is not in LAYERS")
                    elif layers[target] >= mine:
                        kind = "its own layer" if layers[target] == mine else "a higher layer"
                        problems.append(f"{where}, of {kind}")
            elif isinstance(child, ast.Call):
                fn = child.func
                name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
                if name in ("import_module", "__import__"):
                    problems.append(f"{module}.py:{child.lineno} imports dynamically")
            visit(child, inner)

    visit(tree, False)
    return problems


def test_every_runtime_module_is_in_exactly_one_layer():
    on_disk = {p.stem for p in ROOT.glob("*.py") if p.stem != "__init__"}
    declared = [name for names in LAYERS for name in names]
    assert len(declared) == len(set(declared)), "a module is listed twice in LAYERS"
    assert set(declared) == on_disk


def test_imports_run_one_way():
    layers = layer_of()
    problems = []
    for name in sorted(layers):
        problems += violations(name, (ROOT / f"{name}.py").read_text(), layers)
    assert problems == []


def test_the_readme_lists_every_module():
    readme = (ROOT / "README.md").read_text()
    for names in LAYERS:
        for name in names:
            assert f"`{name}.py`" in readme


LAYERS_FOR_CHECKS = {"low": 0, "peer": 1, "mid": 1, "high": 2}


@pytest.mark.parametrize("source, expected", [
    ("from . import low\nfrom .low import x\nimport engine.runtime.low\n", []),
    ("from engine.runtime import low\nfrom engine.runtime.low import x\n", []),
    ("from . import high\n", ["mid.py:1 imports high, of a higher layer"]),
    ("from .high import thing\n", ["mid.py:1 imports high, of a higher layer"]),
    ("from engine.runtime.high import thing\n", ["mid.py:1 imports high, of a higher layer"]),
    ("import engine.runtime.high\n", ["mid.py:1 imports high, of a higher layer"]),
    ("from . import peer\n", ["mid.py:1 imports peer, of its own layer"]),
    ("from . import mystery\n", ["mid.py:1 imports mystery, which is not in LAYERS"]),
    ("def f():\n    from . import low\n", ["mid.py:2 imports low inside a function or class"]),
    ("class C:\n    def m(self):\n        from .high import x\n",
     ["mid.py:3 imports high inside a function or class"]),
    ("import importlib\nm = importlib.import_module('engine.runtime.high')\n",
     ["mid.py:2 imports dynamically"]),
    ("from .. import models\n", ["mid.py:1 imports .., which is not in LAYERS"]),
    ("from django.db import transaction\ndef f():\n    import json\n", []),
])
def test_the_checker_finds_each_kind_of_violation(source, expected):
    assert violations("mid", source, LAYERS_FOR_CHECKS) == expected
