"""Who owns which customer (terms) and the append-only record of every change (events).

Only the services in guishu.ownership.services write these tables.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guishu.domain import Basis, EventKind


class Ownership(models.Model):
    """One owner's term on one customer; the active term has no `ended_at`.

    A partial unique constraint allows at most one active term per customer: the database's
    own guarantee of "never two owners", behind the engine and the row lock. A customer with
    no active term is in the pool. The reclaim clocks of the term live here.
    """

    class BasisChoice(models.TextChoices):
        REGISTERED = Basis.REGISTERED.value, _("registered")
        CLAIMED = Basis.CLAIMED.value, _("claimed from the pool")
        ASSIGNED = Basis.ASSIGNED.value, _("assigned")
        TRANSFERRED = Basis.TRANSFERRED.value, _("transferred")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="ownerships")
    owner = models.ForeignKey("accounts.User", models.PROTECT, related_name="ownerships")
    basis = models.CharField(max_length=16, choices=BasisChoice.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, blank=True)
    protected_until = models.DateTimeField(null=True, blank=True)
    last_follow_up_at = models.DateTimeField(null=True, blank=True)
    deal_won_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    details_found_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ownership term")
        verbose_name_plural = _("ownership terms")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(ended_at__isnull=True),
                name="one_active_owner_per_customer",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "ended_at"]),
            models.Index(fields=["customer", "ended_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.owner} owns {self.customer} since {self.started_at:%Y-%m-%d}"


class OwnershipEvent(models.Model):
    """An immutable fact about a customer's ownership: who, when, why, before and after.

    The database refuses UPDATE and DELETE on this table (triggers installed by migration), so
    the history can be trusted and replayed.
    """

    class KindChoice(models.TextChoices):
        REGISTERED = EventKind.REGISTERED.value, _("registered")
        CLAIMED = EventKind.CLAIMED.value, _("claimed from the pool")
        ASSIGNED = EventKind.ASSIGNED.value, _("assigned")
        TRANSFERRED = EventKind.TRANSFERRED.value, _("transferred")
        RELEASED = EventKind.RELEASED.value, _("released to the pool")
        RECLAIMED = EventKind.RECLAIMED.value, _("reclaimed to the pool")
        LOCKED = EventKind.LOCKED.value, _("locked")
        UNLOCKED = EventKind.UNLOCKED.value, _("unlocked")
        DEAL_WON = EventKind.DEAL_WON.value, _("deal won")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=KindChoice.choices)
    at = models.DateTimeField(help_text="When it took effect (the engine's `now`).")
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted.",
    )
    from_owner = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_owner = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    protected_until = models.DateTimeField(null=True, blank=True)
    trace = models.JSONField(default=list)
    evidence = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("ownership event")
        verbose_name_plural = _("ownership events")
        indexes = [
            models.Index(fields=["customer", "id"]),
            models.Index(fields=["actor", "kind", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.customer_id} at {self.at:%Y-%m-%d %H:%M}"
