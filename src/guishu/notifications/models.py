"""Notifications: the inbox, the outbox of deliveries to e-mail and group-chat bots, the
digests they are sent in, every attempt, and the cursors the fan-out reads committed rows by.

Notifications are derived from rows other apps commit (ownership events, collisions, reclaim
warnings, protection ends); nothing here changes ownership. Texts are stored as an English
template id plus parameters and put into the reader's language when read, like rule traces.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROTECTION_ENDING = "protection_ending", _("protection ending")
    RECLAIM_WARNING = "reclaim_warning", _("reclaim warning")
    RECLAIMED = "reclaimed", _("reclaimed to the pool")
    CLAIMED = "claimed", _("claimed from the pool")
    ASSIGNED = "assigned", _("assigned")
    TRANSFERRED = "transferred", _("handed over")
    COLLISION = "collision", _("collision on your customer")
    DISPUTE = "dispute", _("dispute")
    VIOLATION = "violation", _("rule violation")
    CADENCE_OVERDUE = "cadence_overdue", _("contact overdue")


class NoticeFields(models.Model):
    """What happened, as stored on an inbox entry and on a delivery.

    `source` names the row it came from ("collision:12", "protection:7:2026-12-20T00:00:00"),
    so the same fact never reaches one person, or one destination, twice. Only names and
    dates are kept in `params`, never contact details: a notice may reach someone who cannot
    see the customer (a former owner, a team's group chat).
    """

    kind = models.CharField(max_length=24, choices=Kind.choices)
    customer = models.ForeignKey("customers.Customer", models.CASCADE, related_name="+")
    message = models.CharField(max_length=200, help_text="The English template, a catalogue id.")
    params = models.JSONField(default=dict)
    source = models.CharField(max_length=80)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class Notification(NoticeFields):
    """One entry in one person's inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source"], name="one_notification_per_recipient_and_source"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"]),
            models.Index(fields=["recipient", "read_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.source}"


class Channel(models.Model):
    """A group-chat bot that receives digests: the whole company's (no team) or a team's,
    sub-teams included. `kinds` narrows what it receives (empty: everything).

    `url` carries the bot's key or access token and `secret` its signing secret: both are
    credentials, accepted by the API but never shown again.
    """

    class Platform(models.TextChoices):
        WECOM = "wecom", _("WeCom group bot")
        DINGTALK = "dingtalk", _("DingTalk custom robot")
        FEISHU = "feishu", _("Feishu custom bot")

    name = models.CharField(_("name"), max_length=100)
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    url = models.CharField(_("webhook address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_channels",
        verbose_name=_("team"),
    )
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return f"{self.name} ({self.platform})"


def _one_destination() -> Q:
    return Q(channel__isnull=False, user__isnull=True) | Q(channel__isnull=True, user__isnull=False)


class Digest(models.Model):
    """One message to one destination (a channel, or a user's e-mail) listing the deliveries
    gathered into it: the unit that is sent, rate-limited and retried.

    A sender takes it by moving it to `sending` until `lease_until`; a sender that died
    leaves the lease to run out, and the next one sends it again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.ForeignKey(
        Channel, models.CASCADE, null=True, blank=True, related_name="digests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [
            models.CheckConstraint(condition=_one_destination(), name="digest_has_one_destination")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"digest {self.pk} ({self.status})"


class Delivery(NoticeFields):
    """One notice bound for one destination, waiting for that destination's next digest."""

    channel = models.ForeignKey(
        Channel, models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    digest = models.ForeignKey(
        Digest, models.CASCADE, null=True, blank=True, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        # Rows without a channel (or without a user) never conflict: NULLs are distinct.
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source"], name="one_delivery_per_channel_and_source"
            ),
            models.UniqueConstraint(
                fields=["user", "source"], name="one_delivery_per_user_and_source"
            ),
            models.CheckConstraint(
                condition=_one_destination(), name="delivery_has_one_destination"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(digest__isnull=True),
                name="delivery_waiting_for_digest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.channel_id or self.user_id}: {self.source}"


class DeliveryAttempt(models.Model):
    """One try at sending one digest: what the other side answered, and when we try again.

    The attempts on a channel within the last minute are its rate limit's count.
    """

    class Outcome(models.TextChoices):
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    digest = models.ForeignKey(Digest, models.CASCADE, related_name="attempt_log")
    channel = models.ForeignKey(
        Channel, models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    attempted_at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.SENDING)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        indexes = [models.Index(fields=["channel", "attempted_at"])]

    def __str__(self) -> str:
        return f"digest {self.digest_id} at {self.attempted_at:%Y-%m-%d %H:%M}: {self.outcome}"


class FanoutCursor(models.Model):
    """How far the fan-out has read one source table, by id.

    `gaps` lists id ranges below `last_id` that were missing when read ([low, high, first
    seen]): on PostgreSQL a transaction can commit after a later one took a higher id, so a
    missing id is watched for a while before it is taken for a rollback. See fanout.py.
    """

    source = models.CharField(max_length=32, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list)

    class Meta:
        verbose_name = _("notification cursor")
        verbose_name_plural = _("notification cursors")

    def __str__(self) -> str:
        return f"{self.source} after {self.last_id}"
