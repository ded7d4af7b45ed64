"""The dispute pages: the inbox's tabs, opening a dispute on a collision, the evidence side
by side (free text only for those who see the customer), statements that settle by
agreement, the manager's decision, appeal and withdrawal, each offered only when allowed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from guishu.activities.services import activity_log
from guishu.disputes.disputes import dispute_decide, dispute_open
from guishu.disputes.models import Collision, Dispute
from guishu.domain.disputes import Option, Proposal
from guishu.ownership.registration import customer_register
from guishu.ownership.selectors import customers_owned_by
from tests.factories import customer_input, register

pytestmark = pytest.mark.db_facing

INBOX = reverse("dispute-inbox")
NAME = "Mueller Industrietechnik GmbH"
EMAIL = "einkauf@mueller-industrietechnik.de"


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """The pages in English, so the tests can read them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def collide(cast) -> Collision:  # type: ignore[no-untyped-def]
    """Bob tries to register Alice's customer: a collision."""
    register(cast.alice, NAME, emails=(EMAIL,))
    result = customer_register(
        user=cast.bob, data=customer_input(NAME, emails=(EMAIL,)), confirm_distinct=True
    )
    assert result.collision is not None or not result.created
    return Collision.objects.get(attempted_by=cast.bob)


def url(name: str, dispute: Dispute) -> str:
    return reverse(name, kwargs={"dispute_id": dispute.pk})


def page(client, user, address: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    with override("en"):
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def test_a_party_opens_a_dispute_from_the_inbox(client, cast):
    collision = collide(cast)
    html = page(client, cast.bob, INBOX)
    assert reverse("dispute-open", kwargs={"collision_id": collision.pk}) in html
    response = client.post(
        reverse("dispute-open", kwargs={"collision_id": collision.pk}), {"reason": "Mine"}
    )
    dispute = Dispute.objects.get()
    assert response["Location"] == url("dispute-detail", dispute)
    assert dispute.challenger == cast.bob and dispute.reason == "Mine"
    # Disputed now: no longer offered.
    assert f"collision-{collision.pk}" not in page(client, cast.bob, INBOX)


def test_a_collision_of_another_team_cannot_be_opened(client, cast):
    collision = collide(cast)
    client.force_login(cast.dave)
    response = client.post(reverse("dispute-open", kwargs={"collision_id": collision.pk}))
    assert response.status_code == 404
    assert not Dispute.objects.exists()


def test_the_inbox_tabs(client, cast):
    dispute = dispute_open(user=cast.bob, collision_id=collide(cast).pk)
    # Waiting for Alice's statement; Bob's is not given either.
    assert NAME in page(client, cast.alice, INBOX)
    assert NAME in page(client, cast.alice, INBOX + "?tab=mine")
    assert NAME not in page(client, cast.alice, INBOX + "?tab=decided")
    dispute_decide(
        user=cast.carol,
        dispute_id=dispute.pk,
        proposal=Proposal(Option.OWNER_KEEPS),
        rationale="Registered first.",
    )
    assert "Nothing is waiting for you." in page(client, cast.alice, INBOX)
    assert NAME in page(client, cast.alice, INBOX + "?tab=decided")
    assert NAME not in page(client, cast.dave, INBOX + "?tab=all")


def test_the_evidence_is_side_by_side_and_notes_stay_with_those_who_see_the_customer(client, cast):
    collision = collide(cast)
    activity_log(
        user=cast.alice,
        customer_id=collision.customer_id,
        kind="catalog_sent",
        occurred_at=timezone.now() - timedelta(days=2),
        channel="email",
        outcome="Sent the 2026 catalog",
        note="Ask for Herr Vogel",
    )
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk)
    html = page(client, cast.carol, url("dispute-detail", dispute))
    assert html.count('class="card side side-') == 2
    assert "Evidence, side by side" in html and "it never makes it" in html
    assert "Ask for Herr Vogel" in html  # Carol sees the customer in full
    html = page(client, cast.bob, url("dispute-detail", dispute))
    assert "Catalog sent" in html and "Ask for Herr Vogel" not in html
    assert f'href="/customers/{collision.customer_id}/"' not in html  # not his to open


def test_statements_that_agree_settle_without_a_manager(client, cast):
    dispute = dispute_open(user=cast.bob, collision_id=collide(cast).pk)
    for party in (cast.alice, cast.bob):
        client.force_login(party)
        client.post(
            url("dispute-state", dispute), {"text": "Let Bob lead.", "option": "to_challenger"}
        )
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.DECIDED
    assert dispute.settlement == Dispute.Settlement.AGREEMENT
    assert [c.name for c in customers_owned_by(cast.bob)] == [NAME]


def test_only_the_allowed_steps_are_offered(client, cast):
    dispute = dispute_open(user=cast.bob, collision_id=collide(cast).pk)
    alice = page(client, cast.alice, url("dispute-detail", dispute))
    assert 'id="statement-form"' in alice and 'id="decision-form"' not in alice
    bob = page(client, cast.bob, url("dispute-detail", dispute))
    assert url("dispute-withdraw", dispute) in bob  # he opened it
    assert url("dispute-withdraw", dispute) not in alice
    carol = page(client, cast.carol, url("dispute-detail", dispute))
    assert 'id="decision-form"' in carol and 'id="statement-form"' not in carol
    assert url("dispute-answer", dispute) in carol


def test_the_manager_decides_a_joint_follow_up_and_a_party_appeals(client, cast):
    dispute = dispute_open(user=cast.bob, collision_id=collide(cast).pk)
    client.force_login(cast.carol)
    with override("en"):
        response = client.post(
            url("dispute-decide", dispute),
            {
                "option": "joint",
                "lead": str(cast.bob.pk),
                "share": "30",
                "rationale": "Bob made the visit happen.",
            },
            follow=True,
        )
    assert "The decision is recorded." in response.content.decode()
    dispute.refresh_from_db()
    assert (dispute.status, dispute.lead_id) == (Dispute.Status.DECIDED, cast.bob.pk)
    assert str(dispute.collaborator_share) == "30.00"
    alice = page(client, cast.alice, url("dispute-detail", dispute))
    assert url("dispute-appeal", dispute) in alice
    client.post(url("dispute-appeal", dispute), {"reason": "I registered first."})
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.APPEALED
    diana = page(client, cast.diana, url("dispute-detail", dispute))
    assert url("dispute-appeal-decide", dispute) in diana


def test_a_refused_step_says_why_in_the_rules_words(client, cast):
    dispute = dispute_open(user=cast.bob, collision_id=collide(cast).pk)
    client.force_login(cast.carol)
    with override("en"):
        response = client.post(
            url("dispute-decide", dispute),
            {"option": "joint", "lead": str(cast.bob.pk), "share": "80", "rationale": "x"},
            follow=True,
        )
    assert "at most 50%" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.OPEN


def test_the_opener_withdraws(client, cast):
    dispute = dispute_open(user=cast.bob, collision_id=collide(cast).pk)
    client.force_login(cast.bob)
    client.post(url("dispute-withdraw", dispute))
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.WITHDRAWN


def test_west_sees_nothing_of_it(client, cast, wendy):
    dispute = dispute_open(user=cast.bob, collision_id=collide(cast).pk)
    for outsider in (cast.dave, wendy):
        client.force_login(outsider)
        assert client.get(url("dispute-detail", dispute)).status_code == 404


def test_the_inbox_costs_the_same_for_1_or_6_disputes(client, cast):
    def dispute(n: int) -> None:
        name, email = f"Kunde {n} GmbH", f"einkauf@kunde-{n}.de"
        register(cast.alice, name, emails=(email,))
        customer_register(
            user=cast.bob, data=customer_input(name, emails=(email,)), confirm_distinct=True
        )
        collision = Collision.objects.get(customer__name=name)
        dispute_open(user=cast.bob, collision_id=collision.pk)

    client.force_login(cast.carol)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INBOX + "?tab=all").status_code == 200
        return len(queries)

    dispute(0)
    few = cost()
    for n in range(1, 6):
        dispute(n)
    assert cost() == few
