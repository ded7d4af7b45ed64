"""Violations (违规): recorded with their evidence, reviewed by a manager over the offender.

A violation earns the points the offender's team policy gives its kind when it is detected
(0: a warning only). They count once a manager over the offender, a director or an admin
confirms it; a dismissal needs a written reason; a reviewed violation stays as reviewed.
What is detected, and when, is in guishu.disputes.detection.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.disputes.models import Collision, Violation
from guishu.domain.violations import ViolationKind, violation_points
from guishu.ownership.policies import policy_in_force


def violation_record(
    *,
    kind: ViolationKind,
    offender: User,
    customer_id: int,
    at: datetime,
    evidence: Mapping[str, Any],
    collision: Collision | None = None,
) -> Violation:
    """Records a violation inside the caller's transaction, with the points the offender's
    team policy gives its kind at `at`. Resting on a collision, it is recorded once: a second
    detection of the same kind on the same collision returns the first."""
    points = violation_points(policy_in_force(team_id=offender.team_id, at=at), kind)
    fields = {
        "offender": offender,
        "customer_id": customer_id,
        "at": at,
        "evidence": dict(evidence),
        "points": points,
    }
    if collision is None:
        return Violation.objects.create(kind=kind.value, **fields)
    violation, _created = Violation.objects.get_or_create(
        kind=kind.value, collision=collision, defaults=fields
    )
    return violation


# --- review and reading ---------------------------------------------------------------------


class ViolationRefused(Exception):
    """A review rule said no. `code` is stable for clients; the message is plain words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ReviewDecision(StrEnum):
    CONFIRM = "confirm"  # it was a violation: its points count
    DISMISS = "dismiss"  # it was not (the reviewer says why)


def may_review(user: User, offender_id: int) -> bool:
    """A manager over the offender, a director or an admin; never the offender themself."""
    if user.pk == offender_id:
        return False
    manages = managed_user_ids(user)
    return manages is None or offender_id in manages


@transaction.atomic(durable=True)
def violation_review(
    *, user: User, violation_id: int, decision: str, note: str, now: datetime | None = None
) -> Violation:
    """Confirms a violation (its points now count) or dismisses it (with a reason). A
    reviewed violation cannot be reviewed again; two reviews at once, one wins."""
    now = now or timezone.now()
    violation = Violation.objects.select_for_update().get(pk=violation_id)
    if not may_review(user, violation.offender_id):
        raise PermissionDenied(_("Only a manager over the offender reviews a violation."))
    if violation.status != Violation.Status.OPEN:
        raise ViolationRefused("already_reviewed", _("This violation has already been reviewed."))
    if decision not in ReviewDecision:
        raise ValidationError({"decision": [_("Choose confirm or dismiss.")]})
    note = note.strip()
    if decision == ReviewDecision.DISMISS and not note:
        raise ValidationError({"note": [_("Say why the violation is dismissed.")]})
    violation.status = (
        Violation.Status.CONFIRMED
        if decision == ReviewDecision.CONFIRM
        else Violation.Status.DISMISSED
    )
    violation.reviewed_by = user
    violation.reviewed_at = now
    violation.review_note = note
    violation.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return violation


def violations_visible_to(user: User) -> QuerySet[Violation]:
    """A rep sees their own violations, a manager those of their team trees (and their own),
    directors and admins all."""
    rows = Violation.objects.select_related(
        "offender__team", "customer", "reviewed_by__team", "collision"
    )
    manages = managed_user_ids(user)
    if manages is None:
        return rows
    return rows.filter(offender_id__in={user.pk, *manages})


@dataclass(frozen=True)
class PersonPoints:
    """One person's confirmed violations in a period and the points they carry."""

    user: User
    points: int
    confirmed: int


def violation_points_by_person(
    *, viewer: User, start: datetime, end: datetime
) -> list[PersonPoints]:
    """Points per person from violations detected in [start, end) and confirmed, among
    those `viewer` may see: most points first."""
    rows = (
        violations_visible_to(viewer)
        .filter(status=Violation.Status.CONFIRMED, at__gte=start, at__lt=end)
        .values("offender_id")
        .annotate(points=Sum("points"), confirmed=Count("pk"))
    )
    totals = {row["offender_id"]: row for row in rows}
    people = User.objects.select_related("team").in_bulk(totals)
    found = [
        PersonPoints(user=people[pk], points=row["points"] or 0, confirmed=row["confirmed"])
        for pk, row in totals.items()
    ]
    return sorted(found, key=lambda row: (-row.points, row.user.name, row.user.pk))
