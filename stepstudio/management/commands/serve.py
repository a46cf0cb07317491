from django.conf import settings
from django.core.management.base import BaseCommand

from stepstudio import embedded


class Command(BaseCommand):
    help = ("Run the web server (daphne), a Celery worker and, if installed, the workflow "
            "scheduler, and stop them all on exit. --no-web is what a worker machine runs.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--no-web", dest="web", action="store_false")
        parser.add_argument("--no-worker", dest="worker", action="store_false")
        parser.add_argument("--no-scheduler", dest="scheduler", action="store_false")
        parser.add_argument(
            "--queues", type=lambda text: [q.strip() for q in text.split(",") if q.strip()],
            help="comma-separated queues the worker consumes (Celery's -Q), e.g. 'media' for "
                 "handlers registered with queue='media'; default: the runtime's queue")

    def handle(self, *args, host, port, web, worker, scheduler, queues=None, **options):
        members = embedded.children(host=host, port=port, web=web, worker=worker,
                                    scheduler=scheduler, queues=queues)
        if not members:
            self.stderr.write("nothing to run")
            raise SystemExit(2)
        if worker:
            embedded.prepare_broker()
        mode = "embedded (SQLite broker and channel layer under var/)" if settings.EMBEDDED \
            else "Redis broker and channel layer"
        self.stdout.write(f"StepStudio: {', '.join(m.name for m in members)}; {mode}")

        def announce(supervisor):
            web_child = next((m for m in members if m.name == "web"), None)
            if web_child is None:
                return

            def alive():
                return web_child.process.poll() is None and not supervisor.stopping

            if embedded.wait_for_port(host, port, timeout=60, alive=alive):
                self.stdout.write(self.style.SUCCESS(
                    f"StepStudio is running on http://{host}:{port}/ (Ctrl+C stops it)"))
            self.stdout.flush()

        raise SystemExit(embedded.Supervisor(members).run(on_started=announce))
