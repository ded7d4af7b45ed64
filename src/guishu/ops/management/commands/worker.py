"""`guishu worker`: runs background tasks (Django's tasks API, database-backed queue), and the
scheduler that enqueues the daily jobs (see guishu.ops.schedule) and records the worker's
heartbeat for /readyz (guishu.ops.heartbeat)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from guishu.ops.heartbeat import worker_beat, worker_name
from guishu.ops.schedule import Scheduler, enqueue_due_jobs


class Command(BaseCommand):
    help = "Run the background task worker (all queues) and the daily-job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Enqueue the daily jobs that are due, run what is queued, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = ["db_worker", "--queue-name", "*", "--no-reload"]
        if options["batch"]:
            started = timezone.now()
            worker_beat(worker=worker_name(started), started_at=started)
            enqueue_due_jobs()
            call_command(*worker, "--batch", "--no-startup-delay")
            return
        scheduler = Scheduler()
        scheduler.start()
        try:
            call_command(*worker)
        finally:
            scheduler.stop()
