"""Policy versions: every change to a policy is a new row, never an edit."""

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    """One saved version of the company policy (team None) or of a team's overrides.

    The company's versions hold every value; a team's hold only what it overrides, and its
    sub-teams inherit them. A version takes effect at `effective_from` and stays in force until
    a later version of the same scope does, so the policy in force on any past date can be
    rebuilt. Rows are the audit trail of policy changes: who, when, what and why.
    """

    team = models.ForeignKey(
        "accounts.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_versions",
        verbose_name=_("team"),
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateTimeField(_("in force from"), db_index=True)
    values = models.JSONField(_("values"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["team_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "number"],
                name="one_number_per_team_policy",
                condition=models.Q(team__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["number"],
                name="one_number_per_company_policy",
                condition=models.Q(team__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        scope = self.team.name if self.team else "company"
        return f"{scope} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("policy versions are never edited: save a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("policy versions are never deleted")
