"""Asking `guishu worker` to run a preview or a commit (guishu.imports.tasks), so a page or
an API client does not wait for a large file: the job's row shows the progress, and what the
run found.

Enqueued after the request's transaction commits; the job keeps the task's id, so a page can
tell "waiting for the worker" from "running". A run that fails leaves the job failed with
the reason, and the stored file, so it can be run again.
"""

from django.db import transaction

from guishu.accounts.models import User
from guishu.imports.models import ImportJob

PREVIEW, COMMIT = "preview", "commit"


def import_run_enqueue(
    job: ImportJob,
    user: User,
    *,
    action: str,
    mode: str = ImportJob.Mode.ALL_OR_NOTHING,
    owner_rule: str | None = None,
    pool_id: int | None = None,
) -> None:
    """Asks a worker to run the preview or the commit once the caller's transaction commits.
    The rules (who may use which ownership rule, which pool) are checked by the caller before
    this, so a refusal is told at once rather than by a failed run."""

    def enqueue() -> None:
        from guishu.imports.tasks import import_commit_task, import_preview_task

        if action == PREVIEW:
            result_id = import_preview_task.enqueue(job.pk, user.pk, owner_rule, pool_id).id
        else:
            rule = owner_rule or ImportJob.OwnerRule.IMPORTER
            result_id = import_commit_task.enqueue(job.pk, user.pk, mode, rule, pool_id).id
        ImportJob.objects.filter(pk=job.pk).update(task_result_id=str(result_id))

    transaction.on_commit(enqueue)


def waiting_for_worker(job: ImportJob) -> bool:
    """A run was asked for and no worker has taken it yet."""
    from django_tasks_db.models import DBTaskResult

    if not job.task_result_id or job.status in (
        ImportJob.Status.PREVIEWING,
        ImportJob.Status.IMPORTING,
    ):
        return False
    return DBTaskResult.objects.filter(pk=job.task_result_id, status="READY").exists()
