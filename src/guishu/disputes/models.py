"""Collisions: attempts to register, claim or work a customer that someone else owns; and
collaborations: colleagues working a customer beside its owner."""

from datetime import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Collision(models.Model):
    """A refused attempt on another rep's customer, kept as evidence for a dispute.

    `submitted` keeps everything the rep entered, so nothing typed is lost when a registration
    is refused; `reasons` lists the matching signals behind it (guishu.matching reasons as
    JSON). A contact overlap is an early warning: a rep logged a touchpoint with someone whose
    contact details belong to another rep's customer.
    """

    class Action(models.TextChoices):
        REGISTER = "register", _("registration")
        CLAIM = "claim", _("claim")
        FOLLOW_UP = "follow_up", _("follow-up")
        CONTACT_OVERLAP = "contact_overlap", _("contact details of another rep's customer")
        EDIT = "edit", _("edit")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="collisions")
    attempted_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="collisions")
    owner = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    owner_since = models.DateTimeField()
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField()
    reasons = models.JSONField(default=list)
    trace = models.JSONField(default=list)
    submitted = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("collision")
        verbose_name_plural = _("collisions")
        indexes = [models.Index(fields=["customer", "at"]), models.Index(fields=["owner", "at"])]

    def __str__(self) -> str:
        return f"{self.attempted_by} -> {self.customer} (owned by {self.owner})"


class CollaborationQuerySet(models.QuerySet["Collaboration"]):
    def active(self, now: datetime) -> "CollaborationQuerySet":
        """In force at `now`: not ended, and (if time-boxed) its end date not yet reached.

        A time-boxed collaboration ends by itself at `ends_at`; the daily sweep only writes
        that down (`ended_at`), so readers must not wait for it.
        """
        return self.filter(ended_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Collaboration(models.Model):
    """A colleague working a customer beside its owner (协同人, technical support, assistant).

    A collaborator sees the customer in full while the collaboration is in force. The owner
    keeps the customer; a collaborator never owns it through this row, and the owner cannot be
    their own collaborator. At most one collaboration per customer and person is open at a
    time (the database refuses a second). `ends_at` makes it time-boxed: it ends by itself
    then, and the daily sweep records `ended_at`. Credit shares (issue 5) grow from this row.
    """

    class Role(models.TextChoices):
        CO_SELLER = "co_seller", _("co-seller")
        TECHNICAL_SUPPORT = "technical_support", _("technical support")
        ASSISTANT = "assistant", _("assistant")

    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="collaborations"
    )
    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="collaborations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CO_SELLER)
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="When a time-boxed collaboration ends by itself."
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when it ran out (ends_at) or nobody ended it yet.",
    )
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_open_collaboration_per_customer_and_user",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("started_at")),
                name="collaboration_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "ended_at"]),
            models.Index(fields=["customer", "ended_at"]),
            # The sweep's expiry: open, time-boxed collaborations by end date.
            models.Index(
                fields=["ends_at"],
                condition=Q(ended_at__isnull=True, ends_at__isnull=False),
                name="open_collaborations_by_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.customer} ({self.role})"
