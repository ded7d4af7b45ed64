"""Read-only queries: a person's inbox, and the deliveries administrators watch."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from guishu.accounts.models import User
from guishu.notifications.models import Digest, Notification

Status = Digest.Status


def inbox_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """`user`'s own notifications, newest first (nobody reads another's inbox)."""
    rows = Notification.objects.filter(recipient=user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def deliveries_for_admins() -> QuerySet[Digest]:
    """Every digest, failures first: failed for good, then waiting to be retried, then the
    rest; newest first within each."""
    trouble = Case(
        When(status=Status.FAILED, then=Value(0)),
        When(status=Status.PENDING, attempts__gt=0, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Digest.objects.select_related("channel", "user")
        .prefetch_related("attempt_log")
        .annotate(trouble=trouble)
        .order_by("trouble", "-created_at", "-pk")
    )


def delivery_failures() -> QuerySet[Digest]:
    """Digests that failed for good or are waiting to be retried, newest first."""
    return deliveries_for_admins().filter(trouble__lt=2)  # type: ignore[misc]
