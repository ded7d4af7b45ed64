"""Reviewing violations: who may confirm or dismiss, what a review needs, when points count,
and who sees which violations."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guishu.disputes.models import Violation
from guishu.disputes.violations import (
    ViolationRefused,
    violation_points_by_person,
    violation_review,
    violations_visible_to,
)
from guishu.ownership.services import pool_claim, pool_release
from guishu.policies.services import policy_version_save
from tests.factories import register
from tests.violations.conftest import work_on

pytestmark = pytest.mark.db_facing

WEEK = timedelta(days=7)


def review(user, violation, decision="confirm", note=""):  # type: ignore[no-untyped-def]
    return violation_review(user=user, violation_id=violation.pk, decision=decision, note=note)


@pytest.mark.parametrize("reviewer", ["carol", "diana", "admin"])
def test_a_manager_over_the_offender_a_director_or_an_admin_confirms(cast, offences, reviewer):
    user = getattr(cast, reviewer)

    confirmed = review(user, offences.bob)

    assert confirmed.status == "confirmed" and confirmed.reviewed_by == user
    assert confirmed.reviewed_at is not None


def person(cast, wendy, name: str):  # type: ignore[no-untyped-def]
    return wendy if name == "wendy" else getattr(cast, name)


@pytest.mark.parametrize("reviewer", ["bob", "alice", "dave", "wendy"])
def test_the_offender_colleagues_and_other_managers_may_not_review(cast, wendy, offences, reviewer):
    with pytest.raises(PermissionDenied):
        review(person(cast, wendy, reviewer), offences.bob)

    offences.bob.refresh_from_db()
    assert offences.bob.status == "open"


def test_a_manager_does_not_review_their_own_violation(cast, wendy):
    acme = register(cast.alice, "Acme Manager Tools Ltd")
    own = work_on(wendy, acme.pk, timezone.now())

    with pytest.raises(PermissionDenied):
        review(wendy, own)
    assert review(cast.diana, own).status == "confirmed"


def test_a_dismissal_needs_a_reason(cast, offences):
    with pytest.raises(ValidationError) as refused:
        review(cast.carol, offences.bob, "dismiss", "   ")
    assert "note" in refused.value.message_dict

    dismissed = review(cast.carol, offences.bob, "dismiss", "Alice asked him to call.")

    assert dismissed.status == "dismissed" and dismissed.review_note == "Alice asked him to call."


def test_only_confirm_or_dismiss(cast, offences):
    with pytest.raises(ValidationError):
        review(cast.carol, offences.bob, "forgive")


def test_a_reviewed_violation_is_not_reviewed_again(cast, offences):
    review(cast.carol, offences.bob)

    with pytest.raises(ViolationRefused) as refused:
        review(cast.diana, offences.bob, "dismiss", "changed my mind")

    assert refused.value.code == "already_reviewed"
    offences.bob.refresh_from_db()
    assert offences.bob.status == "confirmed" and offences.bob.reviewed_by == cast.carol


def test_points_count_only_once_confirmed(cast, offences):
    now = timezone.now()
    period = {"start": now - WEEK, "end": now + WEEK}
    assert violation_points_by_person(viewer=cast.diana, **period) == []

    review(cast.carol, offences.bob)
    review(cast.carol, offences.alice, "dismiss", "a misdialled number")

    [bob] = violation_points_by_person(viewer=cast.diana, **period)
    assert (bob.user, bob.points, bob.confirmed) == (cast.bob, 2, 1)


def test_points_per_person_follow_the_viewers_visibility(cast, wendy, offences):
    for violation in (offences.bob, offences.alice):
        review(cast.carol, violation)
    review(wendy, offences.dave)
    now = timezone.now()
    period = {"start": now - WEEK, "end": now + WEEK}

    def names(viewer):  # type: ignore[no-untyped-def]
        return {row.user.name for row in violation_points_by_person(viewer=viewer, **period)}

    assert names(cast.diana) == {"Alice", "Bob", "Dave"}
    assert names(cast.carol) == {"Alice", "Bob"}
    assert names(wendy) == {"Dave"}
    assert names(cast.bob) == {"Bob"}


def test_a_violation_keeps_the_points_of_the_policy_at_detection(cast, offences):
    policy_version_save(
        user=cast.admin, team=None, values={"violation_points": {"worked_other": 9}}
    )
    later = work_on(cast.bob, offences.bob.customer_id, timezone.now())

    review(cast.carol, offences.bob)
    review(cast.carol, later)

    assert [offences.bob.points, later.points] == [2, 9]
    offences.bob.refresh_from_db()
    assert offences.bob.points == 2  # confirming does not re-read the policy


def test_a_kind_worth_no_points_is_a_warning(cast, offences):
    policy_version_save(
        user=cast.admin, team=None, values={"violation_points": {"worked_other": 0}}
    )
    warning = work_on(cast.bob, offences.bob.customer_id, timezone.now())

    assert review(cast.carol, warning).points == 0


@pytest.mark.parametrize(
    ("person_name", "sees"),
    [
        ("alice", {"alice"}),
        ("bob", {"bob"}),
        ("dave", {"dave"}),
        ("carol", {"alice", "bob"}),
        ("wendy", {"dave"}),
        ("diana", {"alice", "bob", "dave"}),
        ("admin", {"alice", "bob", "dave"}),
    ],
)
def test_who_sees_which_violations(cast, wendy, offences, person_name, sees):
    offender = {offences.bob.pk: "bob", offences.alice.pk: "alice", offences.dave.pk: "dave"}

    visible = violations_visible_to(person(cast, wendy, person_name))

    assert {offender[row.pk] for row in visible} == sees


def test_a_failing_detection_never_blocks_the_claim(cast, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug in detection")

    monkeypatch.setattr("guishu.disputes.detection._claim_cycling", broken)
    customer = register(cast.alice, "Blocked Never Co")
    assert pool_release(user=cast.alice, customer_id=customer.pk).accepted

    assert pool_claim(user=cast.bob, customer_id=customer.pk).accepted
    assert not Violation.objects.exists()
