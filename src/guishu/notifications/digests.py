"""Digests rather than one message per event: a destination's deliveries wait until the
oldest has waited the digest window (GUISHU_NOTIFICATIONS_DIGEST_MINUTES), then everything
waiting for it leaves together, in messages of at most GUISHU_NOTIFICATIONS_DIGEST_MAX_ITEMS
lines (the platforms cap a message's size, and the rate limit counts messages)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from guishu.notifications import conf
from guishu.notifications.models import Delivery, Digest


class _Raced(Exception):
    """Another collector took some of these deliveries first: leave them to it."""


def digests_collect(*, now: datetime | None = None) -> int:
    """Gathers the deliveries of every destination whose window has closed into digests,
    ready to send at once; returns how many digests it made."""
    now = now or timezone.now()
    closed = (
        Delivery.objects.filter(digest__isnull=True)
        .values("channel_id", "user_id")
        .annotate(first=Min("created_at"))
        .filter(first__lte=now - conf.digest_window())
        .order_by("first")
    )
    made = 0
    for destination in closed:
        try:
            made += _collect(destination["channel_id"], destination["user_id"], now)
        except _Raced:
            continue
    return made


def _collect(channel_id: int | None, user_id: int | None, now: datetime) -> int:
    with transaction.atomic():
        waiting = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(digest__isnull=True, channel=channel_id, user=user_id)
            .order_by("pk")
        )
        ids = list(waiting.values_list("pk", flat=True))
        size = conf.digest_max_items()
        chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
        for chunk in chunks:
            digest = Digest.objects.create(
                channel_id=channel_id, user_id=user_id, created_at=now, next_attempt_at=now
            )
            # Compare-and-set: on SQLite there is no row lock, the write lock serialises us.
            taken = Delivery.objects.filter(pk__in=chunk, digest__isnull=True).update(digest=digest)
            if taken != len(chunk):
                raise _Raced
        return len(chunks)
