"""Users with a sales role, and teams arranged in a tree with a manager each."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from guishu.domain import Person, Role


class Team(models.Model):
    """A sales team; `parent` makes the tree a manager's authority runs down."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent team"),
    )
    manager = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        verbose_name=_("manager"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: a rep, a manager, a director or an admin."""

    class RoleChoice(models.TextChoices):
        REP = Role.REP.value, _("Sales rep")
        MANAGER = Role.MANAGER.value, _("Sales manager")
        DIRECTOR = Role.DIRECTOR.value, _("Sales director")
        ADMIN = Role.ADMIN.value, _("Administrator")

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=RoleChoice.choices, default=RoleChoice.REP
    )
    team = models.ForeignKey(
        Team, models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("Empty: follow the browser.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def as_person(self) -> Person:
        """The user as the rules engine sees them."""
        return Person(id=self.pk, name=self.name, role=Role(self.role), active=self.is_active)
