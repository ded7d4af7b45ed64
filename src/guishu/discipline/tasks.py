"""Background tasks of customer discipline, run by `guishu worker`."""

from datetime import datetime
from typing import Any

from django.tasks import task
from django.utils import timezone

from guishu.discipline.services import classifications_evaluate_due, overdue_digest_send

DIGEST_WEEKDAY = 0  # Monday, company time


def discipline_daily(*, now: datetime | None = None) -> dict[str, Any]:
    """Every day: classifications due for re-evaluation. On Mondays: the managers' weekly
    digest of customers overdue for contact."""
    now = now or timezone.now()
    evaluated = classifications_evaluate_due(now=now)
    digest = None
    if timezone.localtime(now).weekday() == DIGEST_WEEKDAY:
        digest = overdue_digest_send(now=now)
    return {"evaluated": evaluated, "overdue_notices": digest}


@task()
def discipline_daily_task() -> dict[str, Any]:
    """guishu.ops.schedule enqueues it daily at 06:30 company time."""
    return discipline_daily()
