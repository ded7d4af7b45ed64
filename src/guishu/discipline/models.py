"""Customer discipline (DOMAIN.md §7-§10): classification, complaints, weekly plans, manual
time entries, and the weekly overdue notices managers receive.

Nothing here changes ownership. A customer's potential is its level (`Customer.level`, which
the ownership clocks read); a change of it is recorded in `ClassificationChange` with who
and why, never as an ownership event.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guishu.customers.models import Customer
from guishu.domain import Engagement, Strategy


class Source(models.TextChoices):
    RULE = "rule", _("by rule")
    HAND = "hand", _("by hand")


class EngagementChoice(models.TextChoices):
    EARNS = Engagement.EARNS.value, _("type 1: earns with you")
    PUSHED = Engagement.PUSHED.value, _("type 2: moves when pushed")
    STUCK = Engagement.STUCK.value, _("type 3: won't move")


class StrategyChoice(models.TextChoices):
    LET_GO = Strategy.LET_GO.value, _("let go (放手)")
    DIG_IN = Strategy.DIG_IN.value, _("dig in (死磕)")
    GIVE_UP = Strategy.GIVE_UP.value, _("give up (放弃)")


class Classification(models.Model):
    """A customer's potential (A/B/C) and engagement type with its strategy, the inputs they
    were computed from, and the reasons (trace lines, as JSON). One per customer.

    The potential is set by rule (re-evaluated every `classification_review_days`) or by
    hand; a hand-set potential stands until someone sets it again or returns it to the rule.
    """

    customer = models.OneToOneField(
        "customers.Customer", models.CASCADE, related_name="classification"
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    potential_estimate = models.DecimalField(
        _("yearly purchase potential"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    monthly_volume = models.DecimalField(
        _("monthly volume of our products"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    our_share = models.DecimalField(
        _("our share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    margin = models.DecimalField(
        _("customer's margin on our products (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    potential = models.CharField(
        _("potential"),
        max_length=1,
        choices=Customer.LevelChoice.choices,
        default=Customer.LevelChoice.C,
    )
    potential_source = models.CharField(
        _("set"), max_length=4, choices=Source.choices, default=Source.RULE
    )
    potential_reason = models.JSONField(default=list)
    engagement = models.CharField(
        _("engagement type"), max_length=8, choices=EngagementChoice.choices, blank=True
    )
    strategy = models.CharField(
        _("strategy"), max_length=8, choices=StrategyChoice.choices, blank=True
    )
    engagement_reason = models.JSONField(default=list)
    note = models.CharField(_("why"), max_length=500, blank=True)
    evaluated_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        indexes = [
            models.Index(fields=["potential_source", "evaluated_at"]),
            models.Index(fields=["strategy"]),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.potential} {self.engagement or '-'}"


class ClassificationChange(models.Model):
    """A change of potential or engagement type: who (None for the scheduled evaluation),
    when, before and after, by rule or by hand, and why. Kept, never edited."""

    class Field(models.TextChoices):
        POTENTIAL = "potential", _("potential")
        ENGAGEMENT = "engagement", _("engagement type")

    customer = models.ForeignKey(
        "customers.Customer", models.CASCADE, related_name="classification_changes"
    )
    field = models.CharField(max_length=12, choices=Field.choices)
    before = models.CharField(max_length=8, blank=True)
    after = models.CharField(max_length=8, blank=True)
    source = models.CharField(max_length=4, choices=Source.choices)
    reason = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")
        indexes = [models.Index(fields=["customer", "-at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.field}: {self.before} -> {self.after}"


class Complaint(models.Model):
    """A complaint (投诉) from receipt to resolution: who answers for it, by when, and how it
    ended (resolved, or closed unresolved)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        UNRESOLVED = "unresolved", _("closed unresolved")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="complaints")
    summary = models.CharField(_("complaint"), max_length=500)
    received_at = models.DateTimeField(_("received"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="complaints_handled",
        verbose_name=_("responsible"),
    )
    deadline = models.DateTimeField(_("resolve by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["customer"])]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.summary[:40]}"


class WeeklyPlan(models.Model):
    """A rep's visit and call plan for one week (Monday, company time), generated from cadence,
    classification and reclaim forecasts; generating again replaces its items."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="weekly_plans")
    week_start = models.DateField(_("week of"))
    capacity = models.PositiveIntegerField()
    planned_slots = models.PositiveIntegerField()
    left_out = models.PositiveIntegerField(default=0)
    trace = models.JSONField(default=list)
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("weekly plan")
        verbose_name_plural = _("weekly plans")
        constraints = [
            models.UniqueConstraint(fields=["rep", "week_start"], name="one_plan_per_rep_and_week")
        ]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.week_start}"


class PlanItem(models.Model):
    """One planned contact: whom, which day, visit or call, and why."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("visit")
        CALL = "call", _("call")

    class Why(models.IntegerChoices):
        RECLAIM = 1, _("returns to the pool soon")
        AFTER_SALES = 2, _("after-sales follow-up")
        OVERDUE = 3, _("contact overdue")
        DUE_THIS_WEEK = 4, _("contact due this week")

    plan = models.ForeignKey(WeeklyPlan, models.CASCADE, related_name="items")
    customer = models.ForeignKey("customers.Customer", models.CASCADE, related_name="+")
    on = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    why = models.PositiveSmallIntegerField(choices=Why.choices)
    trace = models.JSONField(default=list)

    class Meta:
        verbose_name = _("planned contact")
        verbose_name_plural = _("planned contacts")
        ordering = ["on", "why", "pk"]

    def __str__(self) -> str:
        return f"{self.customer_id} on {self.on}"


class TimeEntry(models.Model):
    """Time a person entered by hand: travel, admin, internal meetings, or anything their
    activities do not show. Activities with customers count on their own."""

    class Use(models.TextChoices):
        SELLING = "selling", _("selling")
        SERVICE = "service", _("service")
        ADMIN = "admin", _("admin")
        TRAVEL = "travel", _("travel")
        INTERNAL = "internal", _("internal meetings")
        OTHER = "other", _("other")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="time_entries"
    )
    on = models.DateField(_("day"))
    use = models.CharField(_("spent on"), max_length=10, choices=Use.choices)
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [models.Index(fields=["person", "on"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.on} {self.use} {self.minutes}"


class OverdueNotice(models.Model):
    """One overdue customer in a manager's weekly digest: written by the weekly job, read by
    the notification fan-out (guishu.notifications.sources). One per manager, customer and
    week, so running the job twice tells nobody twice."""

    week_start = models.DateField()
    customer = models.ForeignKey("customers.Customer", models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    days_overdue = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "customer", "week_start"], name="one_overdue_notice_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} overdue for {self.manager_id} ({self.week_start})"
