"""Background tasks of the imports app, run by `guishu worker` (Django's tasks API).

A page enqueues a preview or a commit and polls the job: its phase and progress are written
as the rows go (guishu.imports.services.progress_keeper), its summary when it ends.
"""

from typing import Any

from django.tasks import task

from guishu.accounts.models import User
from guishu.imports.services import import_commit, import_preview


@task()
def import_preview_task(job_id: int, user_id: int, owner_rule: str | None = None,
                        pool_id: int | None = None) -> dict[str, Any]:  # fmt: skip
    """Previews a job as import_preview does; the job keeps the summary."""
    report = import_preview(
        user=User.objects.get(pk=user_id), job_id=job_id, owner_rule=owner_rule, pool_id=pool_id
    )
    return {"status": report.job.status, "counts": report.counts, "message": report.message}


@task()
def import_commit_task(job_id: int, user_id: int, mode: str, owner_rule: str | None = None,
                       pool_id: int | None = None) -> dict[str, Any]:  # fmt: skip
    """Imports a job's rows as import_commit does (`owner_rule` None: the job's default); the
    job records how it went (the task's own result keeps the counts too)."""
    report = import_commit(
        user=User.objects.get(pk=user_id),
        job_id=job_id,
        mode=mode,
        owner_rule=owner_rule,
        pool_id=pool_id,
    )
    return {"status": report.job.status, "counts": report.counts, "message": report.message}
