"""Violations of each person of the cast, made by the detections themselves."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from guishu.activities.services import activity_log
from guishu.disputes.models import Violation
from tests.factories import register


@dataclass
class Offences:
    """Bob and Alice (East) each worked the other's customer; Dave (West) worked Alice's."""

    bob: Violation
    alice: Violation
    dave: Violation


def work_on(user: Any, customer_id: int, at: datetime) -> Violation:
    """`user` logs a call on someone else's customer: refused, and a worked_other violation."""
    activity_log(user=user, customer_id=customer_id, kind="call", occurred_at=at, now=at)
    return Violation.objects.filter(offender=user).latest("pk")


@pytest.fixture
def offences(cast, wendy) -> Offences:  # type: ignore[no-untyped-def]
    now = timezone.now()
    acme = register(cast.alice, "Acme Offence Tools Ltd")
    beta = register(cast.bob, "Beta Offence Pumps GmbH")
    return Offences(
        bob=work_on(cast.bob, acme.pk, now),
        alice=work_on(cast.alice, beta.pk, now),
        dave=work_on(cast.dave, acme.pk, now),
    )
