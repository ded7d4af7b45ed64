"""The fan-out: reads the rows other apps committed, source by source in id order, and writes
the inbox entries and the deliveries they call for.

Reading committed rows, rather than acting inside the writers' transactions, is what makes
notifications "only after commit" (an uncommitted or rolled-back row is never read), covers
the sweep's bulk inserts (which send no signals), and survives a crash (the cursor moves in
the same transaction as the rows it paid for). Unique constraints per recipient (and per
destination) and source row make a second or concurrent run write nothing new.

Ids are not always committed in order on PostgreSQL: a transaction can take id 10, another
id 11 and commit first. An id found missing below the cursor is kept as a gap and looked for
again on every run for LATE_COMMIT_GRACE; after that it is taken for a rollback.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from guishu.accounts.models import Team, User
from guishu.notifications.models import Channel, Delivery, FanoutCursor, Notification
from guishu.notifications.sources import SOURCES, Notice, Source

BATCH_SIZE = 1000
LATE_COMMIT_GRACE = timedelta(minutes=10)
# Gaps kept per source; past this the oldest are dropped (a burst of rolled-back inserts).
MAX_GAPS = 200


@dataclass
class FanoutReport:
    read: int = 0
    notices: int = 0


def notifications_fanout(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> FanoutReport:
    """Reads every source up to its newest committed row and writes what it calls for."""
    now = now or timezone.now()
    report = FanoutReport()
    for source in SOURCES:
        while _batch(source, now, batch_size, report) >= batch_size:
            pass
    return report


@transaction.atomic(durable=True)
def _batch(source: Source, now: datetime, size: int, report: FanoutReport) -> int:
    """One transaction: the rows after the cursor (and any that filled a gap), their notices,
    and the cursor moved past them. Returns how many new rows it read."""
    FanoutCursor.objects.get_or_create(source=source.name)
    # Concurrent fan-outs queue here (on SQLite the transaction already holds the write lock).
    cursor = FanoutCursor.objects.select_for_update().get(source=source.name)
    gaps = Gaps(cursor.gaps, now)
    rows = source.model._default_manager
    late = list(rows.filter(gaps.query()).values_list("pk", flat=True)) if gaps.ranges else []
    fresh = list(
        rows.filter(pk__gt=cursor.last_id).order_by("pk").values_list("pk", flat=True)[:size]
    )
    notices = source.notices(late + fresh) if late or fresh else []
    notices_write(notices, now=now)
    gaps.found(late)
    gaps.skipped(cursor.last_id, fresh)
    cursor.last_id = fresh[-1] if fresh else cursor.last_id
    cursor.gaps = gaps.as_json()
    cursor.save(update_fields=["last_id", "gaps"])
    report.read += len(late) + len(fresh)
    report.notices += len(notices)
    return len(fresh)


class Gaps:
    """Missing id ranges below the cursor, each with when it was first seen missing."""

    def __init__(self, stored: Iterable[Sequence[Any]], now: datetime) -> None:
        self.now = now
        oldest = now - LATE_COMMIT_GRACE
        self.ranges = [
            (int(low), int(high), str(seen))
            for low, high, seen in stored
            if datetime.fromisoformat(str(seen)) > oldest
        ]

    def query(self) -> Q:
        query = Q()
        for low, high, _ in self.ranges:
            query |= Q(pk__range=(low, high))
        return query

    def found(self, ids: Iterable[int]) -> None:
        """Ids that turned up: their ranges shrink or split around them."""
        for found in ids:
            kept = []
            for low, high, seen in self.ranges:
                if low <= found <= high:
                    kept += [(low, found - 1, seen), (found + 1, high, seen)]
                else:
                    kept.append((low, high, seen))
            self.ranges = [(low, high, seen) for low, high, seen in kept if low <= high]

    def skipped(self, after: int, ids: Sequence[int]) -> None:
        """Records the holes between the old cursor and each new id read."""
        seen = self.now.isoformat()
        previous = after
        for current in ids:
            if current > previous + 1:
                self.ranges.append((previous + 1, current - 1, seen))
            previous = current
        self.ranges = self.ranges[-MAX_GAPS:]

    def as_json(self) -> list[list[Any]]:
        return [[low, high, seen] for low, high, seen in self.ranges]


def notices_write(notices: Sequence[Notice], *, now: datetime) -> None:
    """Inbox entries for the active people told, e-mail deliveries for those with an address,
    and one delivery per group-chat channel that covers any of them; what exists already is
    left as it is. Called inside the caller's transaction."""
    if not notices:
        return
    told_ids = {user_id for notice in notices for user_id in notice.recipients}
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=told_ids, is_active=True).only(
            "id", "email", "team_id", "is_active"
        )
    }
    channels = list(Channel.objects.filter(is_active=True))
    lineage = team_lineage() if any(channel.team_id for channel in channels) else {}
    inbox, outbox = [], []
    for notice in notices:
        fields = {
            "kind": notice.kind,
            "customer_id": notice.customer_id,
            "message": notice.message,
            "params": notice.params,
            "source": notice.source,
            "created_at": now,
        }
        told = [users[user_id] for user_id in notice.recipients if user_id in users]
        for user in told:
            inbox.append(Notification(recipient=user, **fields))
            if user.email:
                outbox.append(Delivery(user=user, **fields))
        teams = {team for user in told for team in lineage.get(user.team_id, ())}
        for channel in channels:
            if told and _covers(channel, notice, teams):
                outbox.append(Delivery(channel=channel, **fields))
    Notification.objects.bulk_create(inbox, ignore_conflicts=True)
    Delivery.objects.bulk_create(outbox, ignore_conflicts=True)


def _covers(channel: Channel, notice: Notice, teams: set[int]) -> bool:
    wanted = not channel.kinds or notice.kind in channel.kinds
    return wanted and (channel.team_id is None or channel.team_id in teams)


def team_lineage() -> dict[int | None, tuple[int, ...]]:
    """Each team with the teams above it: a team's channel hears of its sub-teams too."""
    parents = dict(Team.objects.values_list("id", "parent_id"))
    lineage: dict[int | None, tuple[int, ...]] = {}
    for team_id in parents:
        chain: list[int] = []
        current: int | None = team_id
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        lineage[team_id] = tuple(chain)
    return lineage
