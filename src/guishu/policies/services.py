"""Changing a policy: validated, permitted, and saved as a new version."""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import team_tree_ids
from guishu.domain import Role
from guishu.domain.policy_values import NAMES, merged, validate
from guishu.policies.models import PolicyVersion
from guishu.policies.store import values_in_force

SAVE_ATTEMPTS = 5


def may_edit(user: User, team: Team | None) -> bool:
    """Admins edit the company policy and every team's; a manager, the teams they manage and
    the teams below them."""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.MANAGER or team is None:
        return False
    managed: set[int] = set()
    for root in Team.objects.filter(manager=user):
        managed |= team_tree_ids(root)
    return team.pk in managed


def _message(code: str, name: str) -> str:
    if code.startswith("range:"):
        _range, low, high = code.split(":")
        return _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if code.startswith("keyed:"):
        return _("Give a number for any of: %(keys)s.") % {"keys": code.split(":", 1)[1]}
    messages = {
        "unknown_setting": _("There is no such setting."),
        "per_level": _("Give one number, or one for each of levels A, B and C."),
        "flag": _("Give true or false."),
        "kinds": _("Choose at least one activity type from the list."),
        "holidays": _("Give a list of holidays, each with a first and last date (YYYY-MM-DD)."),
        "holiday_too_long": _("A holiday can last at most 60 days."),
        "by_industry": _(
            "Give a number per industry (names of up to 100 characters), and * for every "
            "industry not named."
        ),
    }
    return messages.get(code, code)


def policy_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    """Validation messages per setting, in the reader's language."""
    return {
        name: [_message(code, name) for code in codes] for name, codes in validate(values).items()
    }


def policy_version_save(
    *,
    user: User,
    team: Team | None,
    values: dict[str, Any],
    effective_from: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> PolicyVersion:
    """Saves `values` as the next version for the company (team None) or a team.

    A company version is complete: what it does not name keeps the value in force. A team
    version holds only its overrides. `effective_from` may be in the future (announced
    changes) but not in the past: history is never rewritten.
    """
    now = now or timezone.now()
    if not may_edit(user, team):
        raise PermissionDenied(_("You may not change this policy."))
    errors = policy_errors(values)
    effective_from = effective_from or now
    if effective_from < now - timedelta(minutes=1):
        errors.setdefault("effective_from", []).append(
            _("A policy cannot take effect in the past.")
        )
    if not values:
        errors.setdefault("values", []).append(_("Change at least one setting."))
    if errors:
        raise ValidationError(errors)
    if team is None:
        current, _sources = values_in_force(at=effective_from)
        stored = merged([{k: v for k, v in current.items() if k in NAMES}, values])
    else:
        stored = dict(values)
    for attempt in range(SAVE_ATTEMPTS):
        try:
            with transaction.atomic():
                last = PolicyVersion.objects.filter(team=team).aggregate(n=Max("number"))["n"]
                return PolicyVersion.objects.create(
                    team=team,
                    number=(last or 0) + 1,
                    effective_from=effective_from,
                    values=stored,
                    note=note.strip(),
                    created_by=user,
                    created_at=now,
                )
        except IntegrityError:
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
