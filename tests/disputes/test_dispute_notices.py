"""Who hears of disputes and violations: the notification fan-out reads the dispute log and
the violations like every other source."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from guishu.activities.services import activity_log
from guishu.disputes.disputes import dispute_decide, dispute_open
from guishu.domain.disputes import Option, Proposal
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Notification
from guishu.notifications.texts import render
from guishu.ownership.registration import customer_register
from tests.factories import customer_input, register

pytestmark = pytest.mark.db_facing


def told(kind: str, contains: str) -> set[str]:
    rows = Notification.objects.filter(kind=kind, message__contains=contains)
    return set(rows.values_list("recipient__username", flat=True))


def test_each_step_reaches_the_parties_and_the_decider_but_never_the_actor(cast):  # type: ignore[no-untyped-def]
    now = timezone.now()
    register(cast.alice, "Nordlicht Maschinenbau GmbH", websites=("nordlicht-mb.de",))
    refused = customer_register(
        user=cast.bob, data=customer_input("Nordlicht MB", websites=("www.nordlicht-mb.de",))
    )
    assert refused.collision is not None
    dispute = dispute_open(user=cast.bob, collision_id=refused.collision.pk, now=now)
    dispute_decide(
        user=cast.carol,
        dispute_id=dispute.pk,
        proposal=Proposal(Option.OWNER_KEEPS),
        rationale="Registered first.",
        now=now,
    )
    notifications_fanout(now=now + timedelta(minutes=1))

    assert told("dispute", "opened a dispute") == {"alice", "carol"}
    assert told("dispute", "decided the dispute") == {"alice", "bob"}
    notice = Notification.objects.get(recipient=cast.alice, message__contains="decided the")
    with override("zh-hans"):
        assert render(notice.message, notice.params) == (
            "Carol 裁决了 Nordlicht Maschinenbau GmbH 的争议：由 Alice 负责"
        )


def test_a_violation_warns_the_offender_and_asks_their_manager_to_review(cast):  # type: ignore[no-untyped-def]
    now = timezone.now()
    acme = register(cast.alice, "Acme Werkzeuge GmbH")
    activity_log(user=cast.bob, customer_id=acme.pk, kind="call", occurred_at=now, now=now)
    notifications_fanout(now=now + timedelta(minutes=1))

    assert told("violation", "violation") == {"bob", "carol"}
    notice = Notification.objects.get(recipient=cast.bob, kind="violation")
    with override("zh-hans"):
        text = render(notice.message, notice.params)
    assert "未作为协同人跟进他人的客户" in text
