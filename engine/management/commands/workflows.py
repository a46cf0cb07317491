"""`manage.py workflows …`: the runtime's operator commands (see docs/operations.md).

  scheduler                       fire durable timers, schedules and webhook retries; sweep
                                  stranded steps (runs forever)
  load-samples [--owner USER] [--refresh]  create the missing samples (edits are kept)
  deploy FILE [--name N] [--type T] [--substitute K=V …] [--owner USER] [--publish]
                                  create or update a state machine from a definition file
  start NAME [--input JSON] [--name N] [--owner USER] [--substitute K=V …] [--wait [--timeout S]]
  describe EXECUTION              DescribeExecution-shaped JSON
  history EXECUTION               GetExecutionHistory-shaped JSON
  send-task-success TOKEN OUTPUT / send-task-failure TOKEN [--error E] [--cause C]
  create-access-key USERNAME      a SigV4 access key for boto3/the AWS CLI (secret shown once)
  schedule create|list|next|pause|resume|delete|executions …   schedules (engine/schedules/cli.py)

EXECUTION is an execution id (UUID) or ARN.
"""
from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from engine import services
from engine.asl import substitutions as substitution
from engine.models import Execution, ExecutionStatus, StateMachine
from engine.schedules import cli as schedule_cli


def _substitute_option(parser) -> None:
    parser.add_argument("--substitute", action="append", default=[], metavar="KEY=VALUE",
                        help="a definition substitution: ${KEY} becomes VALUE (repeatable)")


def _substitutions(pairs) -> dict[str, str]:
    out = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"--substitute takes KEY=VALUE, not {pair!r}")
        out[key] = value
    try:
        return substitution.check_map(out)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _machine_name(path: Path) -> str:
    name = path.name
    for suffix in (".asl.json", ".json", ".asl.yaml", ".yaml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


class Command(BaseCommand):
    help = "Run the timer scheduler, load samples, and start/inspect executions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("scheduler", help="fire due timers and re-dispatch stranded steps")
        p = sub.add_parser("load-samples", help="create the missing sample state machines")
        p.add_argument("--owner", help="username (default: the first superuser, else 'admin')")
        p.add_argument("--refresh", action="store_true",
                       help="also put back the shipped definition of samples edited since")
        p = sub.add_parser("deploy", help="create or update a state machine from a file (as "
                                          "SAM/CDK deploy one, with definition substitutions)")
        p.add_argument("file", help="the definition, e.g. statemachine/orders.asl.json")
        p.add_argument("--name", help="state machine name (default: the file name)")
        p.add_argument("--type", choices=["STANDARD", "EXPRESS"], help="default: STANDARD for "
                       "a new machine, unchanged for an existing one")
        p.add_argument("--description")
        p.add_argument("--owner")
        p.add_argument("--publish", action="store_true", help="also publish a version")
        _substitute_option(p)
        p = sub.add_parser("start", help="start an execution")
        p.add_argument("machine")
        p.add_argument("--input", default="{}")
        p.add_argument("--name")
        p.add_argument("--owner")
        _substitute_option(p)
        p.add_argument("--wait", action="store_true", help="wait until it stops")
        p.add_argument("--timeout", type=float, default=300.0)
        for name in ("describe", "history"):
            sub.add_parser(name).add_argument("execution")
        p = sub.add_parser("send-task-success")
        p.add_argument("token")
        p.add_argument("output")
        p = sub.add_parser("send-task-failure")
        p.add_argument("token")
        p.add_argument("--error", default="")
        p.add_argument("--cause", default="")
        p = sub.add_parser("create-access-key", help="issue an AWS-style access key for a user")
        p.add_argument("username")
        p.add_argument("--description", default="created with manage.py workflows")
        schedule_cli.add_arguments(sub)

    def handle(self, *args, action, **opts):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**opts)
        except services.ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc}") from None

    # -- actions ----------------------------------------------------------------------------
    def do_scheduler(self, **_):
        from engine.runtime.timers import run_scheduler

        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stderr.write("workflows scheduler: firing timers and sweeping (Ctrl+C stops)")
        # Schedules and webhook retries are passes of the same loop (engine/schedules/loop.py).
        # So is the metrics rollup (engine/metrics/rollup.py).
        from engine.metrics import rollup, tracing
        from engine.runtime import nested
        from engine.schedules import loop

        # Nested executions' sweep answers or stops what a killed process left (nested.py).
        run_scheduler(stop=lambda: bool(stopping),
                      passes=(*loop.PASSES, nested.sweep, rollup.scheduler_pass))
        tracing.flush()  # spans of the last passes, when traces are on

    def do_load_samples(self, owner=None, refresh=False, **_):
        from engine import handler_modules, samples

        if not handler_modules.samples_enabled():
            self.stdout.write("samples are off (STEPSTUDIO_SAMPLES=false): nothing loaded")
            return
        user = self._owner(owner, create=True)
        for name, what in samples.load(user, refresh=refresh):
            note = " (edited since loaded; --refresh replaces it)" if what == "kept" else ""
            self.stdout.write(f"{name}: {what}{note}")

    def do_deploy(self, file, name=None, type=None, description=None, owner=None,
                  publish=False, substitute=(), **_):
        from engine.api import machines

        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        name = name or _machine_name(path)
        user = self._owner(owner)
        substitutions = _substitutions(substitute)
        existing = StateMachine.objects.filter(owner=user, name=name).first()
        try:
            if existing is None:
                machine, version = machines.create(
                    user, name, text, type or "STANDARD", description=description or "",
                    publish=publish, substitutions=substitutions)
            else:
                version = machines.update(existing, definition=text, type_=type,
                                          description=description, publish=publish,
                                          substitutions=substitutions)
                machine = existing
        except machines.MachineError as exc:
            lines = [f"{exc.code}: {exc.message}"] + [
                f"  {d.location or '/'}: {d.code}: {d.message}" for d in exc.diagnostics]
            raise CommandError("\n".join(lines)) from None
        _, diagnostics = machines.load_definition(machine.definition_text or machine.definition,
                                                  machine.type)
        for d in diagnostics:
            self.stderr.write(f"{d.severity.lower()}: {d.location or '/'}: {d.message}")
        out = {"stateMachineArn": machine.arn, "name": machine.name,
               "created": existing is None,
               "unresolvedSubstitutions": substitution.unresolved(machine.definition)}
        if version is not None:
            out["stateMachineVersionArn"] = version.arn
        self._json(out)

    def do_start(self, machine, input, name=None, owner=None, wait=False, timeout=300.0,
                 substitute=(), **_):
        user = self._owner(owner)
        sm = StateMachine.objects.filter(owner=user, name=machine).first()
        if sm is None:
            raise CommandError(f"StateMachineDoesNotExist: no state machine {machine!r} "
                               f"owned by {user.username}")
        execution = services.start_execution(sm, input, name=name,
                                             substitutions=_substitutions(substitute))
        if wait:
            deadline = time.monotonic() + timeout
            while execution.status == ExecutionStatus.RUNNING and time.monotonic() < deadline:
                time.sleep(0.1)
                execution.refresh_from_db()
            self._json(services.describe_execution(execution))
        else:
            self._json({"executionArn": execution.arn, "executionId": str(execution.id),
                        "startDate": services.describe_execution(execution)["startDate"]})

    def do_describe(self, execution, **_):
        self._json(services.describe_execution(self._execution(execution)))

    def do_history(self, execution, **_):
        self._json({"events": services.get_execution_history(self._execution(execution))})

    def do_send_task_success(self, token, output, **_):
        services.send_task_success(token, output)
        self._json({})

    def do_send_task_failure(self, token, error="", cause="", **_):
        services.send_task_failure(token, error, cause)
        self._json({})

    def do_create_access_key(self, username, description="", **_):
        from accounts.keys import create_access_key

        key_id, secret = create_access_key(self._owner(username), description=description)
        # Shaped like `aws iam create-access-key`, so scripts can read it the same way.
        self._json({"AccessKey": {"UserName": username, "AccessKeyId": key_id,
                                  "SecretAccessKey": secret, "Status": "Active"}})

    def do_schedule(self, **opts):
        schedule_cli.handle(self, self._owner, **opts)

    # -- helpers ----------------------------------------------------------------------------
    def _json(self, value):
        self.stdout.write(json.dumps(value, indent=2, default=str))

    def _owner(self, username=None, create=False):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no user {username!r}")
            return user
        user = User.objects.filter(is_superuser=True).order_by("id").first() \
            or User.objects.filter(username="admin").first()
        if user is None:
            if not create:
                raise CommandError("no superuser or 'admin' user: pass --owner")
            # Samples need an owner; an unusable password until `createsuperuser`/createlogin.
            user = User.objects.create_user("admin", is_staff=True, is_superuser=True)
            user.set_unusable_password()
            user.save()
        return user

    def _execution(self, ident: str) -> Execution:
        if ident.startswith("arn:"):
            _, _, _, _, _, _, machine, name = (ident.split(":") + [""] * 8)[:8]
            found = Execution.objects.filter(state_machine__name=machine, name=name).first()
        else:
            try:
                found = Execution.objects.filter(id=ident).first()
            except Exception:
                found = None
        if found is None:
            raise CommandError(f"ExecutionDoesNotExist: {ident}")
        return found
