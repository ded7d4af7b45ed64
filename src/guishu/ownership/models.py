"""Who owns which customer (terms) and the append-only record of every change (events).

Only the services in guishu.ownership.services write these tables.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guishu.domain import Basis, EventKind, ReclaimRule


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
        DECIDED = Basis.DECIDED.value, _("decided in a dispute")

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
    # How many times the owner extended the protection in this term (capped by the policy).
    protection_extensions = models.PositiveSmallIntegerField(default=0)
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
        PROTECTION_EXTENDED = EventKind.PROTECTION_EXTENDED.value, _("protection extended")
        DECIDED = EventKind.DECIDED.value, _("decided in a dispute")
        UPHELD = EventKind.UPHELD.value, _("upheld in a dispute")

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
            # The reports count reclaims, releases and claims per period (docs/reports.md).
            models.Index(fields=["kind", "at"], name="event_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.customer_id} at {self.at:%Y-%m-%d %H:%M}"


class ReclaimWarning(models.Model):
    """A reclaim announced ahead: the owner's term will return to the pool on `due_at` under
    `rule` unless someone acts (a valid follow-up, a won deal, a lock).

    The sweep records one row when a forecast reclaim enters the warning window; notifications
    are generated from these rows. Unique per term, rule and due date, so running the sweep
    again adds nothing, while a follow-up that moves the due date earns a fresh warning when the
    new date comes near. `trace` keeps the forecast's reasons in plain words.
    """

    class RuleChoice(models.TextChoices):
        NO_FOLLOW_UP = ReclaimRule.NO_FOLLOW_UP.value, _("no valid follow-up")
        NO_DEAL = ReclaimRule.NO_DEAL.value, _("no deal")

    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="reclaim_warnings"
    )
    term = models.ForeignKey(Ownership, models.PROTECT, related_name="reclaim_warnings")
    owner = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    rule = models.CharField(max_length=16, choices=RuleChoice.choices)
    due_at = models.DateTimeField()
    trace = models.JSONField(default=list)
    created_at = models.DateTimeField(help_text="When the sweep recorded it (the sweep's `now`).")

    class Meta:
        verbose_name = _("reclaim warning")
        verbose_name_plural = _("reclaim warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "rule", "due_at"], name="one_warning_per_term_rule_and_due_date"
            ),
        ]
        indexes = [models.Index(fields=["owner", "due_at"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.customer_id} due {self.due_at:%Y-%m-%d}"


class HandoverPlan(models.Model):
    """A handover (离职交接) of every customer a departing or moving rep owns.

    Drafted by a manager over the rep, a director or an admin, with one item per customer;
    edited while a draft; executed at once and all or nothing (see guishu.ownership.handover),
    or cancelled. At most one draft per rep. The ownership events it writes carry the plan's
    id in their evidence; `summary` records what the execution did.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        EXECUTED = "executed", _("executed")
        CANCELLED = "cancelled", _("cancelled")

    rep = models.ForeignKey("accounts.User", models.PROTECT, related_name="handover_plans")
    effective_on = models.DateField(help_text="The company-local day it may be executed from.")
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Executed or cancelled.")
    closed_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("handover plan")
        verbose_name_plural = _("handover plans")
        constraints = [
            models.UniqueConstraint(
                fields=["rep"], condition=Q(status="draft"), name="one_draft_handover_per_rep"
            ),
        ]
        indexes = [models.Index(fields=["rep", "status"])]

    def __str__(self) -> str:
        return f"handover {self.pk} of {self.rep} ({self.status})"


class HandoverItem(models.Model):
    """What happens to one customer of a handover: reassigned to a named rep, returned to the
    pool, or reassigned while the old owner stays on as a co-seller until `collaborate_until`.
    """

    class Choice(models.TextChoices):
        REASSIGN = "reassign", _("reassign")
        POOL = "pool", _("return to the pool")
        KEEP_AS_COLLABORATOR = "keep_as_collaborator", _("reassign, old owner collaborates")

    plan = models.ForeignKey(HandoverPlan, models.CASCADE, related_name="items")
    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="+")
    choice = models.CharField(max_length=24, choices=Choice.choices)
    to = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    collaborate_until = models.DateTimeField(null=True, blank=True)
    collaboration = models.ForeignKey(
        "disputes.Collaboration",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The old owner's collaboration, once executed.",
    )

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "customer"], name="one_item_per_customer"),
            models.CheckConstraint(
                condition=Q(choice="pool", to__isnull=True, collaborate_until__isnull=True)
                | Q(choice="reassign", to__isnull=False, collaborate_until__isnull=True)
                | Q(
                    choice="keep_as_collaborator",
                    to__isnull=False,
                    collaborate_until__isnull=False,
                ),
                name="handover_item_choice_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.choice}"
