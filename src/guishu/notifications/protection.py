"""Protection ending: the owner hears, a few days ahead (GUISHU_NOTIFICATIONS_PROTECTION_DAYS),
that their protection period on a customer is about to end.

Nothing is written when a protection ends, so there is no row to fan out from; a daily scan
of the active terms finds the ones ending within the window instead. The source names the
term and its end, so a run that finds a term again writes nothing, while a protection that
is extended earns a fresh notice when its new end comes near.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from guishu.notifications import conf, texts
from guishu.notifications.fanout import BATCH_SIZE, notices_write
from guishu.notifications.models import Kind
from guishu.notifications.sources import Notice
from guishu.ownership.models import Ownership


def protection_ending_notify(*, now: datetime | None = None) -> int:
    """Notifies the owner of every active term whose protection ends within the window;
    returns how many terms it found."""
    now = now or timezone.now()
    horizon = now + timedelta(days=conf.protection_days())
    due = Ownership.objects.filter(
        ended_at__isnull=True, protected_until__gt=now, protected_until__lte=horizon
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        terms = due.filter(pk__in=ids[start : start + BATCH_SIZE]).select_related(
            "customer", "owner"
        )
        with transaction.atomic():
            notices_write([_notice(term) for term in terms.order_by("pk")], now=now)
    return len(ids)


def _notice(term: Ownership) -> Notice:
    assert term.protected_until is not None
    return Notice(
        source=f"protection:{term.pk}:{int(term.protected_until.timestamp())}",
        kind=Kind.PROTECTION_ENDING,
        customer_id=term.customer_id,
        message=texts.PROTECTION_ENDING,
        params={
            "customer": term.customer.name,
            "owner": term.owner.name,
            "date": term.protected_until.isoformat(),
        },
        recipients=(term.owner_id,),
    )
