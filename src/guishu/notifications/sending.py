"""Sending digests: one sender per digest at a time, at most so many messages a minute per
webhook across every worker, retries with exponential backoff, and every attempt written
down where administrators can see it.

A digest is taken in one short transaction (status `sending`, a lease, an attempt row),
sent with no transaction open (a slow platform must not hold locks), and settled in another.
A sender that dies mid-way leaves its lease to run out and the digest is sent again: delivery
is at least once.

The rate limit counts the attempts on the channel in the last minute, under a lock on the
channel's row, so two workers cannot both take the twentieth slot; the digest that finds no
slot waits for the minute to pass (it is deferred, not failed).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from guishu.notifications import conf, texts, webhooks
from guishu.notifications.models import Channel, Delivery, DeliveryAttempt, Digest
from guishu.notifications.webhooks import Reply

LEASE = timedelta(minutes=5)
RATE_WINDOW = timedelta(minutes=1)
# Digests one call of `digests_send_due` sends at most; the pump runs again for the rest.
SEND_BATCH = 200

Status = Digest.Status


@dataclass
class SendReport:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the first, second, third … failure, capped."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 20)), conf.retry_cap())


def due_digests(now: datetime) -> Q:
    """Waiting digests whose time has come, and those whose sender's lease ran out."""
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_until__lt=now
    )


def digests_send_due(*, now: datetime | None = None) -> SendReport:
    """Sends every digest that is due. Without `now`, each send reads the clock when it
    starts, so the rate limit counts real moments however long the run takes."""
    report = SendReport()
    due = Digest.objects.filter(due_digests(now or timezone.now()))
    for digest_id in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)):
        if sum(report.outcomes.values()) >= SEND_BATCH:
            break
        report.count(digest_send(digest_id=digest_id, now=now))
    return report


def digest_send(*, digest_id: int, now: datetime | None = None) -> str:
    """Sends one digest if it is due and nobody else is sending it. Answers what happened:
    sent, retrying, failed (for good), deferred (rate limit) or skipped."""
    now = now or timezone.now()
    taken = _take(digest_id, now)
    if isinstance(taken, str):
        return taken
    digest, attempt = taken
    return _settle(digest, attempt, _deliver(digest, now), now)


def _take(digest_id: int, now: datetime) -> str | tuple[Digest, DeliveryAttempt]:
    with transaction.atomic():
        digest = Digest.objects.select_for_update().filter(due_digests(now), pk=digest_id).first()
        if digest is None:
            return "skipped"
        if digest.channel_id is not None:
            # The channel's row is the rate limit's lock; evaluated, or it would lock nothing.
            Channel.objects.select_for_update().filter(pk=digest.channel_id).first()
            free_at = _rate_limited_until(digest.channel_id, now)
            if free_at is not None:
                digest.status, digest.next_attempt_at, digest.lease_until = (
                    Status.PENDING,
                    free_at,
                    None,
                )
                digest.save(update_fields=["status", "next_attempt_at", "lease_until"])
                return "deferred"
        digest.status, digest.lease_until = Status.SENDING, now + LEASE
        digest.attempts += 1
        digest.save(update_fields=["status", "lease_until", "attempts"])
        attempt = DeliveryAttempt.objects.create(
            digest=digest, channel_id=digest.channel_id, attempted_at=now
        )
    return digest, attempt


def _rate_limited_until(channel_id: int, now: datetime) -> datetime | None:
    """When the channel has a free slot again, or None if it has one now."""
    recent = list(
        DeliveryAttempt.objects.filter(channel_id=channel_id, attempted_at__gt=now - RATE_WINDOW)
        .order_by("attempted_at")
        .values_list("attempted_at", flat=True)
    )
    limit = conf.webhook_per_minute()
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit] + RATE_WINDOW


def _deliver(digest: Digest, now: datetime) -> Reply:
    deliveries = list(Delivery.objects.filter(digest=digest).order_by("pk"))
    if not deliveries:
        return Reply(True, None)
    if digest.channel_id is not None:
        return _to_channel(digest, deliveries, now)
    return _by_email(digest, deliveries)


def _to_channel(digest: Digest, deliveries: list[Delivery], now: datetime) -> Reply:
    channel = digest.channel
    assert channel is not None
    with translation.override(channel.language):
        lines = [texts.render(item.message, item.params) for item in deliveries]
        fits = webhooks.fitting(channel.platform, texts.digest_title(len(lines)), lines)
        if fits < len(lines):
            _split(digest, deliveries[fits:], now)
            lines = lines[:fits]
        message = webhooks.compose(channel.platform, texts.digest_title(len(lines)), lines)
    return webhooks.post(channel, message, now=now)


def _split(digest: Digest, rest: list[Delivery], now: datetime) -> None:
    """What does not fit in one message goes into a digest of its own, due at once."""
    with transaction.atomic():
        later = Digest.objects.create(
            channel_id=digest.channel_id,
            user_id=digest.user_id,
            created_at=now,
            next_attempt_at=now,
        )
        Delivery.objects.filter(pk__in=[item.pk for item in rest]).update(digest=later)


def _by_email(digest: Digest, deliveries: list[Delivery]) -> Reply:
    user = digest.user
    assert user is not None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = texts.digest_title(len(deliveries))
        body = "\n".join(f"- {texts.render(item.message, item.params)}" for item in deliveries)
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception as error:  # any mail backend's failure is recorded and retried
        return Reply(False, None, f"{type(error).__name__}: {error}")
    return Reply(True, None)


def _settle(digest: Digest, attempt: DeliveryAttempt, reply: Reply, now: datetime) -> str:
    changes: dict[str, object] = {"lease_until": None, "last_error": reply.error[:2000]}
    retry_at = None
    if reply.ok:
        outcome = "sent"
        changes |= {"status": Status.SENT, "sent_at": now}
    elif digest.attempts >= conf.max_attempts():
        outcome = "failed"
        changes |= {"status": Status.FAILED}
    else:
        outcome = "retrying"
        retry_at = now + backoff(digest.attempts)
        changes |= {"status": Status.PENDING, "next_attempt_at": retry_at}
    with transaction.atomic():
        # An update, not a save: the channel (and with it this attempt) may have been deleted.
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(
            outcome=DeliveryAttempt.Outcome.SENT if reply.ok else DeliveryAttempt.Outcome.FAILED,
            http_status=reply.http_status,
            error=reply.error[:2000],
            next_retry_at=retry_at,
        )
        # Only while our lease holds: a sender that took over after it ran out decides.
        Digest.objects.filter(
            pk=digest.pk, status=Status.SENDING, lease_until=digest.lease_until
        ).update(**changes)
    return outcome
