"""Background tasks of notifications, run by `guishu worker` (Django's tasks API).

One task does the work, the pump: fan out what was committed, gather the deliveries whose
window closed into digests, send what is due. At its end it enqueues its next run (with
`run_after`) for the earliest of: a digest window closing, a retry or deferred send coming
due, and the safety net (GUISHU_NOTIFICATIONS_SAFETY_NET_MINUTES), so one pump is always
waiting and a missed kick only delays notices, never loses them. Kicks come from the
writers' commits (signals.py) and from the end of the nightly sweep. The daily task adds the
protection-ending scan (guishu.ops.schedule).
"""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Min, Q
from django.tasks import Task, TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from guishu.notifications import conf
from guishu.notifications.digests import digests_collect
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Delivery, Digest
from guishu.notifications.protection import protection_ending_notify
from guishu.notifications.sending import digests_send_due

# When work is already due (a send batch was cut short), run again after this pause rather
# than at once, so nothing can spin.
SHORTEST_PAUSE = timedelta(seconds=5)


def notifications_pump(*, now: datetime | None = None) -> dict[str, Any]:
    """Fan out, gather, send; then make sure the next pump is waiting. Without `now` the
    clock is read at each step."""
    fanout = notifications_fanout(now=now)
    digests = digests_collect(now=now)
    sent = digests_send_due(now=now)
    next_run = pump_schedule(now=now or timezone.now())
    return {
        "read": fanout.read,
        "notices": fanout.notices,
        "digests": digests,
        "sends": sent.outcomes,
        "next_run": next_run.isoformat() if next_run else None,
    }


@task()
def notifications_pump_task() -> dict[str, Any]:
    return notifications_pump()


@task()
def notifications_daily_task() -> dict[str, Any]:
    """Once a day (guishu.ops.schedule): protection ending soon, then a pump."""
    found = protection_ending_notify()
    return {"protection_ending": found, **notifications_pump()}


def pump_schedule(*, now: datetime) -> datetime | None:
    """Enqueues the next pump for when something next comes due (at the latest the safety
    net), unless one is already waiting to run by then. Returns when it will run."""
    moments = [now + conf.safety_net()]
    first_waiting = Delivery.objects.filter(digest__isnull=True).aggregate(at=Min("created_at"))
    if first_waiting["at"] is not None:
        moments.append(first_waiting["at"] + conf.digest_window())
    pending = Digest.objects.filter(status=Digest.Status.PENDING)
    next_send = pending.aggregate(at=Min("next_attempt_at"))["at"]
    if next_send is not None:
        moments.append(next_send)
    lease = Digest.objects.filter(status=Digest.Status.SENDING).aggregate(at=Min("lease_until"))
    if lease["at"] is not None:
        moments.append(lease["at"])
    at = max(min(moments), now + SHORTEST_PAUSE)
    return enqueue_unless_waiting(notifications_pump_task, at)


def pump_soon() -> None:
    """A kick: run the pump as soon as a worker is free (on commit of a notifying row)."""
    enqueue_unless_waiting(notifications_pump_task, None)


def enqueue_unless_waiting(job: Task, at: datetime | None) -> datetime | None:  # type: ignore[type-arg]
    """Enqueues `job` to run from `at` (None: now), unless a run of it that has not started
    yet is due by then: that run will see everything committed before it starts.

    With the database backend the queue is a table we can ask; any other backend gets every
    kick, and no deferred run where it cannot defer."""
    backend = job.get_backend()
    if at is not None and not backend.supports_defer:
        return None
    if _waiting(job, at or timezone.now()):
        return at
    (job.using(run_after=at) if at is not None else job).enqueue()
    return at


def _waiting(job: Task, by: datetime) -> bool:  # type: ignore[type-arg]
    if not isinstance(job.get_backend(), DatabaseBackend):
        return False
    ready = DBTaskResult.objects.filter(task_path=job.module_path, status=TaskResultStatus.READY)
    # django_tasks_db stores "no run_after" as its far-future sentinel.
    return ready.filter(Q(run_after=get_date_max()) | Q(run_after__lte=by)).exists()
