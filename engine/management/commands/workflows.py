"""`manage.py workflows …`: the runtime's operator commands (see docs/operations.md).

  scheduler                       fire durable timers, schedules and webhook retries; sweep
                                  stranded steps (runs forever)
  load-samples [--owner USER]     create/refresh the sample state machines (idempotent)
  start NAME [--input JSON] [--name N] [--owner USER] [--wait [--timeout S]]
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

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from engine import services
from engine.models import Execution, ExecutionStatus, StateMachine
from engine.schedules import cli as schedule_cli


class Command(BaseCommand):
    help = "Run the timer scheduler, load samples, and start/inspect executions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("scheduler", help="fire due timers and re-dispatch stranded steps")
        p = sub.add_parser("load-samples", help="create or refresh the sample state machines")
        p.add_argument("--owner", help="username (default: the first superuser, else 'admin')")
        p = sub.add_parser("start", help="start an execution")
        p.add_argument("machine")
        p.add_argument("--input", default="{}")
        p.add_argument("--name")
        p.add_argument("--owner")
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
        from engine.schedules import loop

        run_scheduler(stop=lambda: bool(stopping), passes=loop.PASSES)

    def do_load_samples(self, owner=None, **_):
        from engine import samples

        user = self._owner(owner, create=True)
        for name, what in samples.load(user):
            self.stdout.write(f"{name}: {what}")

    def do_start(self, machine, input, name=None, owner=None, wait=False, timeout=300.0, **_):
        user = self._owner(owner)
        sm = StateMachine.objects.filter(owner=user, name=machine).first()
        if sm is None:
            raise CommandError(f"StateMachineDoesNotExist: no state machine {machine!r} "
                               f"owned by {user.username}")
        execution = services.start_execution(sm, input, name=name)
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
