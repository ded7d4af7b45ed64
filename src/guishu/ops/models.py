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
