"""Collisions: attempts to register, claim or work a customer that someone else owns;
disputes (判单) over them and their decisions; collaborations: colleagues working a customer
beside its owner, with credit shares; and violations of the rules, for managers to review."""

from datetime import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
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
    # Percent of the customer's revenue credited to this collaborator; the owner is credited
    # the rest, so the shares on a customer always total 100.
    share = models.DecimalField(
        _("credit share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    dispute = models.ForeignKey(
        "disputes.Dispute",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="collaborations",
        help_text="The dispute whose joint decision started it, if any.",
    )

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
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=100),
                name="collaboration_share_is_a_percentage",
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


PARTY_HELP = "One of the two parties: the owner when the dispute opened, or the challenger."


class Dispute(models.Model):
    """A collision a party (or a manager) contests: 判单.

    The parties are the owner when it opened and the challenger (who collided). Each writes a
    statement choosing an option; when both choose the same, it applies without a manager.
    Otherwise a manager over both decides by `decision_due_at`, with a written rationale; late,
    it escalates to the directors. A manager's decision may be appealed once, to a director.
    The decision in force is copied here; every decision is kept in `DisputeDecision`.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ASKING_CUSTOMER = "asking_customer", _("asking the customer")
        DECIDED = "decided", _("decided")
        APPEALED = "appealed", _("appealed to the director")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Option(models.TextChoices):
        OWNER_KEEPS = "owner_keeps", _("the owner keeps the customer")
        TO_CHALLENGER = "to_challenger", _("the customer goes to the challenger")
        JOINT = "joint", _("joint follow-up: one owner, one collaborator, a credit split")
        ASK_CUSTOMER = "ask_customer", _("ask the customer and respect the answer")

    class Settlement(models.TextChoices):
        AGREEMENT = "agreement", _("agreed by both parties")
        MANAGER = "manager", _("decided by the manager")
        CUSTOMER = "customer", _("chosen by the customer")
        DIRECTOR = "director", _("decided by the director")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="disputes")
    collision = models.OneToOneField(Collision, models.PROTECT, related_name="dispute")
    owner = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="disputes_as_owner", help_text=PARTY_HELP
    )
    challenger = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        related_name="disputes_as_challenger",
        help_text=PARTY_HELP,
    )
    opened_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decision_due_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The decision in force (empty while open).
    option = models.CharField(max_length=16, choices=Option.choices, blank=True)
    lead = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who owns the customer under the decision.",
    )
    collaborator_share = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    fallback_on = models.DateField(
        null=True,
        blank=True,
        help_text="No deal by this date, and the customer goes to the other party.",
    )
    fallback_applied_at = models.DateTimeField(null=True, blank=True)
    settlement = models.CharField(max_length=16, choices=Settlement.choices, blank=True)
    settled_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    appeal_until = models.DateTimeField(null=True, blank=True)
    appealed_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_reason = models.TextField(blank=True)
    # Asking the customer: whom they chose, as recorded by a manager.
    customer_choice = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    customer_answer = models.TextField(blank=True)
    customer_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes = [
            models.Index(fields=["status", "decision_due_at"]),
            models.Index(fields=["customer", "opened_at"]),
            models.Index(fields=["opened_at"]),
            # The fallback sweep: decisions with a "no deal by" date still to check.
            models.Index(
                fields=["fallback_on"],
                condition=Q(fallback_on__isnull=False, fallback_applied_at__isnull=True),
                name="dispute_fallbacks_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner=F("challenger")), name="dispute_parties_differ"
            ),
        ]

    def __str__(self) -> str:
        return f"dispute {self.pk} on {self.customer_id}: {self.owner_id} v {self.challenger_id}"

    def party_ids(self) -> tuple[int, int]:
        return (self.owner_id, self.challenger_id)


class DisputeStatement(models.Model):
    """A party's side of a dispute and the option they accept; revisable until it is settled."""

    dispute = models.ForeignKey(Dispute, models.PROTECT, related_name="statements")
    party = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    text = models.TextField()
    option = models.CharField(max_length=16, choices=Dispute.Option.choices, blank=True)
    lead = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    collaborator_share = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    fallback_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dispute statement")
        verbose_name_plural = _("dispute statements")
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "party"], name="one_statement_per_party_per_dispute"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party_id} on dispute {self.dispute_id}: {self.option or '-'}"


class DisputeDecision(models.Model):
    """Every decision a dispute received, in order: the first, and the appeal's if any.

    Written once, never changed; the dispute row copies the one in force.
    """

    dispute = models.ForeignKey(Dispute, models.PROTECT, related_name="decisions")
    option = models.CharField(max_length=16, choices=Dispute.Option.choices)
    lead = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    collaborator_share = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    fallback_on = models.DateField(null=True, blank=True)
    settlement = models.CharField(max_length=16, choices=Dispute.Settlement.choices)
    decided_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    rationale = models.TextField(blank=True)
    on_appeal = models.BooleanField(default=False)
    # The evidence as it stood when decided, so the record does not drift with later edits.
    evidence = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dispute decision")
        verbose_name_plural = _("dispute decisions")
        constraints = [
            # One first decision and at most one on appeal: a decision submitted twice, even
            # by two managers at once, takes effect once.
            models.UniqueConstraint(
                fields=["dispute", "on_appeal"], name="one_decision_per_dispute_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.option} on dispute {self.dispute_id}"


class Violation(models.Model):
    """A rule broken, with its evidence: detected by the product, confirmed or dismissed by a
    manager over the offender. Points count once confirmed."""

    class Kind(models.TextChoices):
        WORKED_OTHER = "worked_other", _("worked another rep's customer without collaborating")
        EVASIVE_EDIT = "evasive_edit", _("changed details in a way that avoided a collision")
        CLAIM_CYCLING = "claim_cycling", _("claim/release cycling")

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting review")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    offender = models.ForeignKey("accounts.User", models.PROTECT, related_name="violations")
    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="violations")
    at = models.DateTimeField()
    evidence = models.JSONField(default=dict)
    points = models.PositiveSmallIntegerField(default=0)
    collision = models.ForeignKey(
        Collision, models.PROTECT, null=True, blank=True, related_name="violations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reviewed_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [
            models.Index(fields=["offender", "at"]),
            models.Index(fields=["status", "at"]),
        ]
        constraints = [
            # Detection is idempotent: one violation of a kind per collision it rests on.
            models.UniqueConstraint(
                fields=["kind", "collision"],
                condition=Q(collision__isnull=False),
                name="one_violation_per_kind_and_collision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.offender_id} on {self.customer_id}"


class DisputeLog(models.Model):
    """What happened in a dispute, in order: the dispute's own history, and the rows the
    notification fan-out reads to tell the parties, their managers and the directors.

    Written once, never changed. `params` holds names and dates only, never contact details,
    since a notice may reach someone who cannot see the customer.
    """

    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        STATEMENT = "statement", _("statement")
        AGREED = "agreed", _("settled by agreement")
        DECIDED = "decided", _("decided")
        ASKING = "asking", _("asking the customer")
        ANSWERED = "answered", _("the customer answered")
        REMINDER = "reminder", _("decision due soon")
        ESCALATED = "escalated", _("escalated to the directors")
        APPEALED = "appealed", _("appealed")
        APPEAL_DECIDED = "appeal_decided", _("appeal decided")
        FALLBACK = "fallback", _("no deal by the date set")
        WITHDRAWN = "withdrawn", _("withdrawn")

    dispute = models.ForeignKey(Dispute, models.PROTECT, related_name="log")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dispute log entry")
        verbose_name_plural = _("dispute log")
        indexes = [models.Index(fields=["dispute", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} on dispute {self.dispute_id}"
