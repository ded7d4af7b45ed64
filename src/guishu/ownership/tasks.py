"""Background tasks of the ownership app, run by `guishu worker` (Django's tasks API)."""

from typing import Any

from django.tasks import task

from guishu.ownership.sweep import ownership_sweep


@task()
def ownership_sweep_task() -> dict[str, Any]:
    """The reclaim sweep as of the moment the worker runs it; guishu.ops.schedule enqueues it
    daily at 02:00 company time. Returns the report's counts (kept on the task result)."""
    return ownership_sweep().as_dict()
