"""What the operations page and GET /api/v1/ops/health/ show administrators."""

from typing import Any

from django.utils import timezone

from guishu.ops.counters import ops_counts
from guishu.ops.health import failed, readiness
from guishu.ops.models import WorkerHeartbeat


def health_report() -> dict[str, Any]:
    now = timezone.now()
    checks = readiness(now=now)
    workers = [
        {
            "worker": row.worker,
            "started_at": row.started_at,
            "beat_at": row.beat_at,
            "age_seconds": round((now - row.beat_at).total_seconds(), 1),
        }
        for row in WorkerHeartbeat.objects.order_by("-beat_at")[:20]
    ]
    return {
        "status": "unavailable" if failed(checks) else "ok",
        "checks": checks,
        "failed": failed(checks),
        "workers": workers,
        "counts": ops_counts(now=now),
    }
