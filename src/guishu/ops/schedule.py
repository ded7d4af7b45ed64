"""Daily jobs, enqueued by the task workers themselves: no cron, no extra process.

Every `guishu worker` runs a scheduler thread that wakes every few seconds and, once a job's
company-local time of day has passed, tries to claim the job's run for today's company-local
date by inserting a `ScheduledRun` row. The unique constraint lets exactly one worker win; the
winner enqueues the task in the same transaction, so a daily job is enqueued once per date
however many workers run, and never lost between the claim and the enqueue. A worker started
after the hour (a restart at 09:00, say) still runs the day's job: the claim is per date.
"""

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.tasks import Task
from django.utils import timezone

from guishu.ops.heartbeat import worker_beat, worker_name
from guishu.ops.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    """A task to enqueue once a day, from `at` company time (settings.TIME_ZONE) onwards."""

    name: str
    at: time
    task: Task  # type: ignore[type-arg]


def daily_jobs() -> tuple[DailyJob, ...]:
    from guishu.discipline.tasks import discipline_daily_task
    from guishu.disputes.tasks import disputes_sweep_task
    from guishu.notifications.tasks import notifications_daily_task
    from guishu.ownership.tasks import ownership_sweep_task
    from guishu.privacy.tasks import privacy_retention_task

    return (
        DailyJob("ownership_sweep", time(2, 0), ownership_sweep_task),
        # Protection ending soon, told at the start of the working day.
        DailyJob("notifications_daily", time(8, 0), notifications_daily_task),
        # Dispute reminders and escalations, and "no deal by" dates, before the working day.
        DailyJob("disputes_sweep", time(7, 30), disputes_sweep_task),
        # Activity free text older than the retention period is blanked (docs/privacy.md).
        DailyJob("privacy_retention", time(3, 30), privacy_retention_task),
        # Classifications re-evaluated; on Mondays the managers' overdue digest (discipline).
        DailyJob("discipline_daily", time(6, 30), discipline_daily_task),
    )


def enqueue_due_jobs(
    *, now: datetime | None = None, jobs: Sequence[DailyJob] | None = None
) -> list[ScheduledRun]:
    """Enqueues each job whose time has come today (company time) and that no worker has
    claimed for today yet; returns the runs this call claimed."""
    now = now or timezone.now()
    local = timezone.localtime(now, timezone.get_default_timezone())  # settings.TIME_ZONE
    claimed = []
    for job in daily_jobs() if jobs is None else jobs:
        if local.time() >= job.at:
            run = _claim_and_enqueue(job, local.date(), now)
            if run is not None:
                claimed.append(run)
    return claimed


def _claim_and_enqueue(job: DailyJob, day: date, now: datetime) -> ScheduledRun | None:
    if ScheduledRun.objects.filter(job=job.name, run_on=day).exists():
        return None  # every tick after the first one of the day ends here, without a write
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, run_on=day, claimed_at=now)
            run.task_result_id = str(job.task.enqueue().id)
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        return None  # another worker claimed this date between our check and our insert
    logger.info("scheduled %s for %s (task %s)", job.name, day, run.task_result_id)
    return run


class Scheduler:
    """Every `interval` seconds (GUISHU_WORKER_HEARTBEAT_SECONDS), in a daemon thread beside
    the worker loop and on the thread's own database connection: records the worker's
    heartbeat (read by /readyz), then calls `enqueue_due_jobs`."""

    def __init__(self, interval: float | None = None) -> None:
        self.interval = interval or float(getattr(settings, "GUISHU_WORKER_HEARTBEAT_SECONDS", 15))
        self.started_at = timezone.now()
        self.worker = worker_name(self.started_at)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="guishu-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.interval)

    def _run(self) -> None:
        while not self._stopped.is_set():
            self.tick()
            self._stopped.wait(self.interval)

    def tick(self) -> None:
        try:
            worker_beat(worker=self.worker, started_at=self.started_at)
            enqueue_due_jobs()
        except Exception:
            # A database hiccup must not kill the scheduler: the next tick tries again.
            logger.exception("scheduler tick failed")
        finally:
            connection.close()
