"""Territory rules, each rule's round-robin cursor, and the record of every fair assignment."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """How a rule picks among its eligible reps."""

    ROUND_ROBIN = "round_robin", _("round-robin")
    LOAD_BALANCED = "load_balanced", _("load-balanced")


class TerritoryRule(models.Model):
    """Which customers go to which reps: a customer matches when it meets every criterion that
    is set (an empty list means "any"); the active rule with the lowest `priority` that matches
    decides, and its `method` picks among its eligible reps (the named users and the reps of
    the named teams and the teams below them; only active people who may own customers).

    A rule names at least one user or team (checked by the services, since many-to-many
    relations are set after the row is saved).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    priority = models.PositiveIntegerField(
        _("priority"),
        default=100,
        help_text=_("Lower numbers are tried first; the first matching rule wins."),
    )
    active = models.BooleanField(_("active"), default=True)
    method = models.CharField(
        _("method"), max_length=16, choices=Method.choices, default=Method.ROUND_ROBIN
    )
    regions = models.JSONField(_("regions / provinces"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    industries = models.JSONField(_("industries"), default=list, blank=True)
    kinds = models.JSONField(_("customer kinds"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    levels = models.JSONField(_("levels"), default=list, blank=True)
    reps = models.ManyToManyField(
        "accounts.User", blank=True, related_name="territory_rules", verbose_name=_("reps")
    )
    teams = models.ManyToManyField(
        "accounts.Team", blank=True, related_name="territory_rules", verbose_name=_("teams")
    )
    created_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("territory rule")
        verbose_name_plural = _("territory rules")
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return self.name


class RuleCursor(models.Model):
    """Where a rule's round-robin turn stands: the rep who got its last pick.

    Kept apart from the rule so that editing a rule never overwrites the turn. Every pick
    under a rule locks this row first (SELECT ... FOR UPDATE), so picks under one rule happen
    one at a time and two concurrent assignments never take the same turn.
    """

    rule = models.OneToOneField(
        TerritoryRule, models.CASCADE, primary_key=True, related_name="cursor"
    )
    last_rep = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    turns = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("round-robin cursor")
        verbose_name_plural = _("round-robin cursors")

    def __str__(self) -> str:
        return f"{self.rule_id}: after {self.last_rep_id} ({self.turns} turns)"


class Assignment(models.Model):
    """One fair pick and what became of it: the customer, the rule, the method, every
    candidate considered with their load (or why they were skipped), the rep picked, the
    reason handed to the ownership service, and the ownership event it wrote.

    A pick is recorded as `pending` before the ownership service runs (in its own transaction),
    so concurrent picks count it as part of the rep's load; at most one pick per customer is
    pending at a time. It then becomes `assigned` (with its event) or `refused` (with the
    rule's code and trace); one that a crash left pending is `abandoned` after a while.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ASSIGNED = "assigned", _("assigned")
        REFUSED = "refused", _("refused by the ownership rules")
        ABANDONED = "abandoned", _("abandoned")

    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="territory_assignments"
    )
    rule = models.ForeignKey(
        TerritoryRule, models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    rule_name = models.CharField(max_length=100, help_text="The rule's name at the time.")
    method = models.CharField(max_length=16, choices=Method.choices)
    rep = models.ForeignKey("accounts.User", models.PROTECT, related_name="territory_assignments")
    assigned_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    candidates = models.JSONField(
        default=list, help_text="Every rep considered: id, name, load, and why skipped if so."
    )
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    event = models.ForeignKey(
        "ownership.OwnershipEvent", models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_code = models.CharField(max_length=32, blank=True)
    refusal_trace = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(help_text="When the pick took effect (the service's `now`).")
    created_at = models.DateTimeField(
        auto_now_add=True, help_text="Wall-clock time of the pick, to find abandoned ones."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fair assignment")
        verbose_name_plural = _("fair assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status="pending"),
                name="one_pending_assignment_per_customer",
            ),
        ]
        indexes = [
            models.Index(fields=["rep", "status", "at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} -> {self.rep_id} by {self.rule_name} ({self.status})"
