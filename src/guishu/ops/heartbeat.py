"""The worker's heartbeat: each `guishu worker` process says every few seconds that it is
alive (`WorkerHeartbeat`), and `/readyz` reads the freshest beat."""

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from guishu.ops.models import WorkerHeartbeat

# A worker silent for this long has stopped; its row goes.
FORGET_AFTER = timedelta(days=1)


def worker_name(started_at: datetime) -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{int(started_at.timestamp())}"


def worker_beat(*, worker: str, started_at: datetime, now: datetime | None = None) -> None:
    """Records that `worker` is alive now (one UPDATE, or the INSERT of its first beat)."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker=worker).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(worker=worker, started_at=started_at, beat_at=now)
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()


def worker_heartbeat_age(*, now: datetime | None = None) -> float | None:
    """Seconds since the freshest beat of any worker; None when no worker ever beat."""
    now = now or timezone.now()
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
    beat = latest.first()
    return None if beat is None else max(0.0, (now - beat).total_seconds())


def heartbeat_max_age() -> int:
    """GUISHU_WORKER_HEARTBEAT_MAX_AGE seconds; 0 leaves the worker out of readiness."""
    return int(getattr(settings, "GUISHU_WORKER_HEARTBEAT_MAX_AGE", 120))
