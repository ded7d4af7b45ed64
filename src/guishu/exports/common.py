"""What the lists share: people by name, several values in one cell, yes and no."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from guishu.accounts.models import User

# Rows read per database round trip: a list's related rows (contact details, credits, ...)
# come one query per this many rows, never one query per row.
CHUNK = 1000
SEPARATOR = "; "


def people_names() -> dict[int, str]:
    """Everyone's name as colleagues see it, in one query: a list names many people."""
    users = User.objects.only("pk", "username", "first_name", "last_name", "display_name")
    return {user.pk: user.name for user in users}


def joined(values: Iterable[str]) -> str:
    return SEPARATOR.join(value for value in values if value)


def yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")
