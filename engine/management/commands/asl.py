"""`manage.py asl validate|run FILE`: the ASL interpreter from the command line.

    asl validate FILE|- [--type STANDARD|EXPRESS]
        prints {"result": "OK"|"FAIL", "diagnostics": [...]} (ValidateStateMachineDefinition's
        shape); exit 1 when the definition has an ERROR.
    asl run FILE|- [--input JSON|@file] [--mock-config FILE --test-case NAME]
                   [--state-machine-name NAME] [--history] [--type STANDARD|EXPRESS]
                   [--substitute KEY=VALUE …]   (values for `${KEY}` placeholders, SAM-style)
        runs in-process on the virtual clock (engine.asl.run_state_machine) and prints
        {"status", "output", "error", "cause"} (+ "events" with --history); exit 1 unless the
        execution SUCCEEDED, or when the definition is invalid.
    asl test FILE --mocks MOCKS.json [--input JSON|@file] [--machine NAME] [--case NAME …]
                  [--type STANDARD|EXPRESS]
        runs every test case the mock config gives for the machine (named FILE's stem unless
        --machine; engine/asl/testcases.py) and prints one line per case, then "N of M pass";
        exit 1 when any case fails or the definition is invalid.

Exit 2 with a one-line `CommandError` (never a traceback) for a missing file or bad JSON;
exit 3 when the interpreter itself breaks.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engine.asl import testcases
from engine.asl.errors import InvalidDefinition
from engine.asl.validate import is_valid, validate

USAGE_ERROR = 2
INTERNAL_ERROR = 3


def _read_text(source: str, what: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source[1:] if source.startswith("@") else source)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{what}: no such file: {path}", returncode=USAGE_ERROR) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{what}: cannot read {path}: {exc}", returncode=USAGE_ERROR) from None


def _read_json(source: str, what: str):
    """JSON from a file path (`path` or `@path`)."""
    return _parse(_read_text(source, what), f"{what} ({source.lstrip('@')})")


def _parse(text: str, what: str):
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CommandError(f"{what} is not valid JSON: {exc}", returncode=USAGE_ERROR) from None


def _read_definition(source: str, pairs) -> str:
    """The definition's text with `--substitute` values put in (bare `${Name}` values, SAM's
    form, are not JSON until then); a usage error when it does not read."""
    from engine.asl import substitutions

    text = _read_text(source, "definition")
    values = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"--substitute takes KEY=VALUE, not {pair!r}", returncode=USAGE_ERROR)
        values[key] = value
    try:
        text = substitutions.resolve_text(text, substitutions.check_map(values))
        substitutions.parse_text(text)
    except ValueError as exc:
        raise CommandError(f"definition ({source.lstrip('@')}) is not valid JSON: {exc}",
                           returncode=USAGE_ERROR) from None
    return text


def _read_input(value: str | None):
    if value is None:
        return {}
    if value.startswith("@"):
        return _read_json(value, "--input")
    return _parse(value, "--input")


def _default_state_machine_name(mock_config) -> str | None:
    """Step Functions Local needs the machine's name to pick a test case; with one machine in
    the mock config there is only one answer."""
    machines = mock_config.get("StateMachines") if isinstance(mock_config, dict) else None
    if isinstance(machines, dict) and len(machines) == 1:
        return next(iter(machines))
    return None


class Command(BaseCommand):
    help = "Validate or run an Amazon States Language definition in-process."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("validate", help="print AWS-style diagnostics")
        check.add_argument("file", help="ASL definition (JSON file, or - for stdin)")
        check.add_argument("--type", default="STANDARD", choices=["STANDARD", "EXPRESS"],
                           help="state machine type (Express refuses .sync/.waitForTaskToken)")
        run = sub.add_parser("run", help="run the definition on the local driver")
        run.add_argument("file", help="ASL definition (JSON file, or - for stdin)")
        run.add_argument("--type", default="STANDARD", choices=["STANDARD", "EXPRESS"],
                         help="state machine type the definition is validated as")
        run.add_argument("--input", help="execution input: JSON text, or @file")
        run.add_argument("--mock-config", help="Step Functions Local mock config (JSON file)")
        run.add_argument("--test-case", help="test case name inside the mock config")
        run.add_argument("--state-machine-name",
                         help="state machine name inside the mock config")
        run.add_argument("--history", action="store_true", help="include the history events")
        run.add_argument("--substitute", action="append", default=[], metavar="KEY=VALUE",
                         help="a definition substitution: ${KEY} becomes VALUE (repeatable)")

        test = sub.add_parser("test", help="run the test cases of a Step Functions Local "
                                            "mock config")
        test.add_argument("file", help="ASL definition (JSON file)")
        test.add_argument("--mocks", required=True, help="the mock config (JSON file)")
        test.add_argument("--input", help="input of cases without their own Input: JSON text, "
                                          "or @file (default {})")
        test.add_argument("--machine", help="state machine name in the mock config "
                                            "(default: FILE's stem)")
        test.add_argument("--case", action="append", help="run only this case (repeatable)")
        test.add_argument("--type", default="STANDARD", choices=["STANDARD", "EXPRESS"],
                          help="state machine type the definition is validated as")

    def handle(self, *args, **options):
        if options["action"] == "test":
            return self._test(options)
        if options["action"] == "validate":
            # The raw text goes to the validator: a JSON syntax error is a finding
            # (INVALID_JSON_DESCRIPTION with line and column), as AWS reports it.
            return self._validate(_read_text(options["file"], "definition"), options["type"])
        return self._run(_read_definition(options["file"], options["substitute"]), options)

    def _emit(self, payload) -> None:
        # default=str: history events may carry timestamps.
        self.stdout.write(json.dumps(payload, indent=2, default=str))

    def _validate(self, definition, machine_type: str) -> None:
        diagnostics = validate(definition, state_machine_type=machine_type)
        ok = is_valid(diagnostics)
        self._emit({"result": "OK" if ok else "FAIL",
                    "diagnostics": [d.to_dict() for d in diagnostics]})
        if not ok:
            sys.exit(1)

    def _run(self, definition, options) -> None:
        diagnostics = validate(definition, state_machine_type=options["type"])
        if not is_valid(diagnostics):
            # AWS would refuse to create this machine; running it would only mislead.
            self._emit({"result": "FAIL", "diagnostics": [d.to_dict() for d in diagnostics]})
            sys.exit(1)
        execution_input = _read_input(options["input"])
        mock_config = None
        if options["mock_config"]:
            mock_config = _read_json(options["mock_config"], "--mock-config")
        if options["test_case"] and not mock_config:
            raise CommandError("--test-case needs --mock-config", returncode=USAGE_ERROR)
        name = options["state_machine_name"] or _default_state_machine_name(mock_config)

        try:
            from engine.asl import run_state_machine  # the evaluator; imported only to run
        except ImportError as exc:
            raise CommandError(f"the interpreter is not available: {exc}",
                               returncode=INTERNAL_ERROR) from None
        from engine.asl.errors import InvalidDefinition

        try:
            result = run_state_machine(definition, execution_input, mock_config=mock_config,
                                       state_machine_name=name, test_case=options["test_case"])
        except InvalidDefinition as exc:  # `${Name}` placeholders without a --substitute
            self._emit({"result": "FAIL", "diagnostics": [d.to_dict() for d in exc.diagnostics]})
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001 - a CLI prints one line, not a traceback
            # The driver turns spec failures into a FAILED result; reaching here is a bug in
            # the interpreter or an unusable mock config.
            raise CommandError(f"the run stopped: {type(exc).__name__}: {exc}",
                               returncode=INTERNAL_ERROR) from None
        payload = {"status": result.status, "output": result.output, "error": result.error,
                   "cause": result.cause}
        if options["history"]:
            payload["events"] = result.events
        self._emit(payload)
        if result.status != "SUCCEEDED":
            sys.exit(1)

    def _test(self, options) -> None:
        definition = _read_definition(options["file"], ())
        config = _read_json(options["mocks"], "--mocks")
        machine = options["machine"] or Path(options["file"]).stem
        problems = testcases.check_config(config)
        if problems:
            raise CommandError("--mocks: " + "; ".join(problems), returncode=USAGE_ERROR)
        name, cases = testcases.machine_cases(config, machine)
        if not cases:
            known = ", ".join(sorted((config.get("StateMachines") or {}))) or "none"
            raise CommandError(f"--mocks has no test cases for the state machine '{machine}' "
                               f"(machines in it: {known}; name another with --machine)",
                               returncode=USAGE_ERROR)
        try:
            results = testcases.run_cases(definition, config, name, _read_input(options["input"]),
                                          cases=options["case"], state_machine_type=options["type"])
        except InvalidDefinition as exc:
            for d in exc.diagnostics:
                self.stdout.write(f"INVALID  {d.location or '/'}  {d.code}: {d.message}")
            sys.exit(1)
        except KeyError as exc:
            raise CommandError(f"--case: no test case {exc.args[0]!r} for '{name}' "
                               f"(it has: {', '.join(cases)})", returncode=USAGE_ERROR) from None
        except Exception as exc:  # noqa: BLE001 - one line, not a traceback (as `run`)
            raise CommandError(f"the run stopped: {type(exc).__name__}: {exc}",
                               returncode=INTERNAL_ERROR) from None
        for result in results:
            self.stdout.write(result.line())
        passed = sum(r.passed for r in results)
        self.stdout.write(f"{passed} of {len(results)} pass")
        if passed != len(results):
            sys.exit(1)
