"""engine.asl must import nothing from Django or other project packages (README)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_engine_asl_imports_in_a_bare_interpreter_without_django():
    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def guard(name, *a, **k):\n"
        "    top = name.split('.')[0]\n"
        "    if top in ('django', 'celery', 'channels', 'stepstudio', 'designer', 'accounts') or "
        "name.startswith('engine.runtime') or name.startswith('engine.models') or name.startswith('engine.api'):\n"
        "        raise ImportError('forbidden import: ' + name)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = guard\n"
        "import engine.asl, engine.asl.step, engine.asl.drivers.local\n"
        "import engine.asl.states, engine.asl.dataflow.jsonpath\n"
        "r = engine.asl.run_state_machine({'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'End': True}}}, {'a': 1})\n"
        "assert r.status == 'SUCCEEDED', r\n"
        "assert not any(m.startswith('django') for m in sys.modules), 'django imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
