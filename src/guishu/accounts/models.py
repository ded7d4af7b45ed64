"""Users with a sales role, teams arranged in a tree with a manager each, and the records that
guard signing in: failed log-ins and the sessions each user holds."""

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone
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


class LoginThrottle(models.Model):
    """Failed log-ins counted for one username or one client address, and the lock they lead to.

    Kept in the database, not in a process's memory, so every web process sees the same count.
    A row is worth keeping only until its window and its lock have passed (`stale_after`); stale
    rows are pruned as new failures arrive.
    """

    class Scope(models.TextChoices):
        USERNAME = "username", _("username")
        ADDRESS = "address", _("IP address")

    scope = models.CharField(max_length=8, choices=Scope.choices)
    # A username as typed (capped at the field's 150 characters), or a client address; IPv6
    # clients are counted per /64 network, the block one subscriber usually gets.
    key = models.CharField(max_length=150)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    stale_after = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_login_throttle_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.failures}"


class UserSession(models.Model):
    """Which signed-in session belongs to which user, so disabling a user can end all of their
    sessions with one indexed delete instead of decoding every session in the table.

    Written when the user logs in. The database deletes the row with its session (a database
    cascade), so logging out, session expiry and `clearsessions` keep this table in step
    without code of their own.
    """

    session = models.OneToOneField(
        Session, models.DB_CASCADE, primary_key=True, related_name="owner"
    )
    # Django does not let one model mix database and Python cascades, and a database cascade
    # from users is ruled out by the users' own Python-level relations. So this is a plain
    # indexed column: deleting a user ends their sessions in guishu.accounts.sessions, and the
    # rows follow the sessions.
    user = models.ForeignKey(User, models.DO_NOTHING, db_constraint=False, related_name="sessions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.session_id}"
