"""engine.asl.integrations is part of the framework-free interpreter: no Django, no runtime."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_integrations_import_without_django():
    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def guard(name, *a, **k):\n"
        "    top = name.split('.')[0]\n"
        "    if top in ('django', 'celery', 'channels', 'stepstudio') or name.startswith('engine.runtime') \\\n"
        "            or name.startswith('engine.models') or name == 'engine.aws_calls':\n"
        "        raise ImportError('forbidden import: ' + name)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = guard\n"
        "from engine.asl.integrations import AwsInvoker, AwsSettings\n"
        "assert AwsInvoker(AwsSettings())({'kind': 'service', 'service': 'sqs'}) is None\n"
        "assert not any(m.startswith('django') for m in sys.modules), 'django imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
