"""Pools and where each pooled customer sits."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Pool(models.Model):
    """A pool of unowned customers, by territory, team or level.

    Routing: a customer returning to the pool goes to the first active pool (lowest
    `priority`) whose criteria it meets; each non-empty criterion must match (levels,
    countries, regions, industries, and the former owner's teams). The default pool takes the
    rest. Eligibility: the reps of `eligible_teams` and their sub-teams (everyone when empty)
    see its customers and may claim them.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    is_default = models.BooleanField(_("default pool"), default=False)
    active = models.BooleanField(_("active"), default=True)
    levels = models.JSONField(_("levels"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    industries = models.JSONField(_("industries"), default=list, blank=True)
    from_teams = models.ManyToManyField(
        "accounts.Team", blank=True, related_name="+", verbose_name=_("former owner's teams")
    )
    eligible_teams = models.ManyToManyField(
        "accounts.Team", blank=True, related_name="+", verbose_name=_("eligible teams")
    )

    class Meta:
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        ordering = ["priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_pool",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PoolPlacement(models.Model):
    """Which pool a customer went to when it last returned to the pool, and why."""

    customer = models.OneToOneField(
        "customers.Customer", models.CASCADE, related_name="pool_placement"
    )
    pool = models.ForeignKey(Pool, models.PROTECT, related_name="placements")
    placed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("pool placement")
        verbose_name_plural = _("pool placements")

    def __str__(self) -> str:
        return f"{self.customer_id} in {self.pool_id}"
