"""The standard sales stages (configurable), opportunities and their stage changes."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Stage(models.Model):
    """A standard sales stage (销售阶段): its place in the order, the chance a deal at this
    stage is won, and the activity kinds that must have happened with the customer before an
    opportunity may enter it (the stage's required actions)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), unique=True)
    win_probability = models.PositiveSmallIntegerField(
        _("win probability (%)"), validators=[MaxValueValidator(100)]
    )
    required_kinds = models.JSONField(
        _("required actions"),
        default=list,
        blank=True,
        help_text=_("Activity types that must exist for the customer before entering the stage."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name_en

    def name_in(self, language: str | None) -> str:
        return self.name_zh if (language or "").startswith("zh") else self.name_en


class Opportunity(models.Model):
    """A chance of a deal with a customer (商机), owned by one person, at one stage until it
    is won or lost."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        WON = "won", _("won")
        LOST = "lost", _("lost")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="opportunities")
    owner = models.ForeignKey("accounts.User", models.PROTECT, related_name="opportunities")
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(
        _("expected amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    stage = models.ForeignKey(Stage, models.PROTECT, related_name="opportunities")
    status = models.CharField(
        _("status"), max_length=4, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    lost_reason = models.CharField(_("reason lost"), max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status__in=["won", "lost"], closed_at__isnull=False),
                name="opportunity_closed_when_won_or_lost",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["customer", "opened_at"]),
            models.Index(fields=["opened_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"


class StageChange(models.Model):
    """An opportunity entering a stage (or being won or lost): the history conversion and
    cycle times are computed from. Append-only. `from_stage` is empty for the opening."""

    opportunity = models.ForeignKey(Opportunity, models.CASCADE, related_name="changes")
    from_stage = models.ForeignKey(Stage, models.PROTECT, null=True, blank=True, related_name="+")
    to_stage = models.ForeignKey(Stage, models.PROTECT, related_name="entries")
    status = models.CharField(
        max_length=4, choices=Opportunity.Status.choices, default=Opportunity.Status.OPEN
    )
    at = models.DateTimeField()
    by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            models.Index(fields=["opportunity", "at"]),
            models.Index(fields=["to_stage", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.to_stage_id} at {self.at:%Y-%m-%d}"
