"""Task bookkeeping: each task runs under the log id `task:<id>`, and a failed task is
counted in the hour's task-failure count (keyed by the task's path)."""

from typing import Any

from django.dispatch import receiver
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished, task_started

from guishu.config.logging import NO_REQUEST, request_id
from guishu.ops.counters import ops_count_add
from guishu.ops.models import OpsCount


@receiver(task_started)
def _task_log_id(sender: Any, task_result: Any, **kwargs: Any) -> None:
    request_id.set(f"task:{task_result.id}")


@receiver(task_finished)
def _task_failure_count(sender: Any, task_result: Any, **kwargs: Any) -> None:
    try:
        if task_result.status == TaskResultStatus.FAILED:
            ops_count_add(metric=OpsCount.Metric.TASK_FAILURE, key=task_result.task.module_path)
    finally:
        request_id.set(NO_REQUEST)
