"""The retention rule for activity free text: notes and outcomes of activities that occurred
more than GUISHU_ACTIVITY_TEXT_RETENTION_DAYS ago are blanked (0 keeps them for ever). The
activity itself (who, when, what kind, which customer) stays: cadence, evidence and reports
keep working; only the prose goes. Each run is recorded (`RetentionRun`)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.privacy.models import RetentionRun

CHUNK = 1000


def activity_text_retention_run(
    *, days: int | None = None, now: datetime | None = None
) -> RetentionRun | None:
    """Blanks the text of activities older than `days` (the setting by default); None when
    retention is off. Chunked, so a first run over years of text never holds a long lock;
    running it twice blanks nothing more."""
    days = settings.GUISHU_ACTIVITY_TEXT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return None
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    old = Activity.objects.filter(occurred_at__lt=cutoff).exclude(note="", outcome="")
    blanked = 0
    while True:
        with transaction.atomic():
            ids = list(old.values_list("pk", flat=True)[:CHUNK])
            if not ids:
                break
            blanked += Activity.objects.filter(pk__in=ids).update(note="", outcome="")
    return RetentionRun.objects.create(ran_at=now, cutoff=cutoff, days=days, blanked=blanked)
