"""Background tasks of the disputes app, run by `guishu worker`."""

from typing import Any

from django.tasks import task

from guishu.disputes.sweep import disputes_sweep


@task()
def disputes_sweep_task() -> dict[str, Any]:
    """Reminders, escalations and "no deal by" dates as of the moment the worker runs it;
    guishu.ops.schedule enqueues it daily at 07:30 company time."""
    return disputes_sweep().as_dict()
