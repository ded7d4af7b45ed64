"""Bookkeeping for scheduled background work."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One scheduled job's run for one company-local date, claimed by the worker that enqueued it.

    Every worker process runs the scheduler; the unique constraint lets exactly one of them
    insert the row for a date, and only that one enqueues the task (in the same transaction),
    so a daily job runs once however many workers are up.
    """

    job = models.CharField(max_length=64)
    run_on = models.DateField(help_text="The company-local date the run is for.")
    claimed_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "run_on"], name="one_run_per_job_and_date"),
        ]

    def __str__(self) -> str:
        return f"{self.job} on {self.run_on}"


class WorkerHeartbeat(models.Model):
    """One running `guishu worker` process, and the last time it said it was alive.

    The worker's scheduler thread updates `beat_at` every GUISHU_WORKER_HEARTBEAT_SECONDS;
    `/readyz` answers 503 when no worker has beaten within GUISHU_WORKER_HEARTBEAT_MAX_AGE
    seconds (tasks would queue up and nobody would run them). Rows of workers silent for a
    day are pruned by the next beat.
    """

    worker = models.CharField(max_length=100, unique=True, help_text="host:pid:start")
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class OpsCount(models.Model):
    """How many times something operators watch happened in one hour: a slow request (keyed
    by the route's name) or a failed task (keyed by the task's path). Counted with one upsert
    per occurrence; shown to admins on /ops/ and in GET /api/v1/ops/health/. Holds no
    customer data: route names and task paths only."""

    class Metric(models.TextChoices):
        SLOW_REQUEST = "slow_request", _("slow request")
        TASK_FAILURE = "task_failure", _("failed task")

    metric = models.CharField(max_length=16, choices=Metric.choices)
    key = models.CharField(max_length=200, blank=True)
    hour = models.DateTimeField(help_text="The start of the hour (UTC) counted.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("operations count")
        verbose_name_plural = _("operations counts")
        constraints = [
            models.UniqueConstraint(fields=["metric", "key", "hour"], name="one_count_per_hour")
        ]
        indexes = [models.Index(fields=["metric", "hour"])]

    def __str__(self) -> str:
        return f"{self.metric} {self.key} {self.hour:%Y-%m-%d %H}h: {self.count}"
