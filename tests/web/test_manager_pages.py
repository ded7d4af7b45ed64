"""The manager console: whose reps and customers a manager sees, reassigning with a reason,
the handover wizard from draft to execution, and the conflict review with conflicts per
week."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guishu.ownership.models import HandoverPlan, OwnershipEvent
from guishu.ownership.registration import customer_register
from guishu.ownership.selectors import customers_owned_by
from tests.factories import customer_input, register
from tests.web.charts import chart_in

pytestmark = pytest.mark.db_facing

CONSOLE = reverse("manager-console")
HANDOVERS = reverse("manager-handovers")
REVIEW = reverse("manager-review")


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """The pages in English, so the tests can read them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html_of(client, user, address: str, **params) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(address, params)
    assert response.status_code == 200
    return response.content.decode()


def test_reps_get_404_everywhere_in_the_console(client, cast):
    client.force_login(cast.alice)
    for address in (CONSOLE, HANDOVERS, REVIEW):
        assert client.get(address).status_code == 404


def test_a_manager_sees_their_teams_reps_and_customers(client, cast, wendy):
    register(cast.alice, "Acme Tools")
    register(cast.bob, "Bolt Works")
    register(cast.dave, "Delta Trading")
    html = html_of(client, cast.carol, CONSOLE)
    assert "Acme Tools" in html and "Bolt Works" in html and "Delta Trading" not in html
    assert 'data-held="alice">1<' in html and 'data-held="bob">1<' in html
    assert 'data-held="dave"' not in html
    html = html_of(client, wendy, CONSOLE)
    assert "Delta Trading" in html and "Acme Tools" not in html
    html = html_of(client, cast.diana, CONSOLE)
    assert all(name in html for name in ("Acme Tools", "Bolt Works", "Delta Trading"))


def test_the_customers_filter_by_owner_and_name(client, cast):
    register(cast.alice, "Acme Tools")
    register(cast.bob, "Bolt Works")
    html = html_of(client, cast.carol, CONSOLE, owner=cast.bob.pk)
    assert "Bolt Works" in html and ">Acme Tools<" not in html
    html = html_of(client, cast.carol, CONSOLE, q="acme")
    assert ">Acme Tools<" in html and ">Bolt Works<" not in html


def test_a_page_of_the_console_costs_the_same_for_2_or_12_customers(client, cast):
    client.force_login(cast.carol)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CONSOLE).status_code == 200
        return len(queries)

    for n in range(2):
        register(cast.alice if n % 2 else cast.bob, f"Customer {n} GmbH")
    few = cost()
    for n in range(2, 12):
        register(cast.alice if n % 2 else cast.bob, f"Customer {n} GmbH")
    assert cost() == few


def test_reassigning_moves_the_customer_with_the_reason(client, cast):
    acme = register(cast.alice, "Acme Tools")
    client.force_login(cast.carol)
    response = client.post(
        reverse("manager-reassign", kwargs={"customer_id": acme.pk}),
        {"to": cast.bob.pk, "reason": "Alice is on leave"},
        follow=True,
    )
    assert "Acme Tools now belongs to Bob." in response.content.decode()
    assert [c.name for c in customers_owned_by(cast.bob)] == ["Acme Tools"]
    event = OwnershipEvent.objects.filter(customer=acme).order_by("pk").last()
    assert event is not None and event.actor == cast.carol
    assert event.evidence.get("reason") == "Alice is on leave"


def test_reassigning_to_someone_outside_the_team_is_refused(client, cast, wendy):
    acme = register(cast.alice, "Acme Tools")
    client.force_login(cast.carol)
    response = client.post(
        reverse("manager-reassign", kwargs={"customer_id": acme.pk}),
        {"to": cast.dave.pk},
        follow=True,
    )
    assert "Choose a rep of your teams" in response.content.decode()
    assert [c.name for c in customers_owned_by(cast.alice)] == ["Acme Tools"]
    client.force_login(wendy)
    url = reverse("manager-reassign", kwargs={"customer_id": acme.pk})
    assert client.post(url, {"to": cast.dave.pk}).status_code == 404


def test_the_handover_wizard_from_draft_to_execution(client, cast):
    for name in ("Acme Tools", "Anvil Corp", "Apex Ltd"):
        register(cast.alice, name)
    client.force_login(cast.carol)
    today = timezone.localdate().isoformat()
    response = client.post(
        HANDOVERS,
        {"rep": cast.alice.pk, "to": cast.bob.pk, "effective_on": today, "reason": "leaving"},
    )
    plan = HandoverPlan.objects.get()
    assert response["Location"] == reverse("manager-handover", kwargs={"plan_id": plan.pk})
    apex = plan.items.get(customer__name="Apex Ltd")
    row = client.post(
        reverse("manager-handover-item", kwargs={"plan_id": plan.pk, "item_id": apex.pk}),
        {"choice": "pool"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert row.startswith(f'<tr id="item-{apex.pk}">') and "Saved." in row
    check = client.post(
        reverse("manager-handover-check", kwargs={"plan_id": plan.pk}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Everything can move as planned." in check
    done = client.post(
        reverse("manager-handover-execute", kwargs={"plan_id": plan.pk}), HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 204
    assert done["HX-Redirect"] == reverse("manager-handover", kwargs={"plan_id": plan.pk})
    assert sorted(c.name for c in customers_owned_by(cast.bob)) == ["Acme Tools", "Anvil Corp"]
    assert not customers_owned_by(cast.alice).exists()
    html = html_of(client, cast.carol, reverse("manager-handover", kwargs={"plan_id": plan.pk}))
    assert "What the handover did" in html and "Bob: 2" in html


def test_an_item_the_rules_refuse_is_explained_in_its_row(client, cast):
    register(cast.alice, "Acme Tools")
    client.force_login(cast.carol)
    client.post(HANDOVERS, {"rep": cast.alice.pk, "effective_on": timezone.localdate()})
    plan = HandoverPlan.objects.get()
    item = plan.items.get()
    row = client.post(
        reverse("manager-handover-item", kwargs={"plan_id": plan.pk, "item_id": item.pk}),
        {"choice": "reassign"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Name the rep who receives the customer." in row


def test_a_handover_before_its_day_is_refused_and_changes_nothing(client, cast):
    register(cast.alice, "Acme Tools")
    client.force_login(cast.carol)
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(HANDOVERS, {"rep": cast.alice.pk, "to": cast.bob.pk, "effective_on": tomorrow})
    plan = HandoverPlan.objects.get()
    response = client.post(
        reverse("manager-handover-execute", kwargs={"plan_id": plan.pk}), follow=True
    )
    assert "The handover takes effect on" in response.content.decode()
    assert [c.name for c in customers_owned_by(cast.alice)] == ["Acme Tools"]


def test_the_review_counts_conflicts_per_week(client, cast):
    email = "einkauf@acme-tools.de"
    register(cast.alice, "Acme Tools", emails=(email,))
    customer_register(
        user=cast.bob, data=customer_input("Acme Tools", emails=(email,)), confirm_distinct=True
    )
    html = html_of(client, cast.carol, REVIEW)
    spec = chart_in(html, "conflicts-over-time")
    collisions, disputes = spec["series"]
    assert len(spec["x"]) in (12, 13)
    assert sum(collisions["data"]) == 1 and collisions["data"][-1] == 1
    assert sum(disputes["data"]) == 0
    assert "1</strong> collisions" in html
    west = html_of(client, cast.diana, REVIEW, team=cast.west.pk)
    spec = chart_in(west, "conflicts-over-time")
    assert sum(spec["series"][0]["data"]) == 0


def test_a_draft_naming_a_receiver_outside_the_teams_is_refused(client, cast, wendy):
    register(cast.alice, "Acme Tools")
    client.force_login(cast.carol)
    today = timezone.localdate().isoformat()
    response = client.post(
        HANDOVERS, {"rep": cast.alice.pk, "to": cast.dave.pk, "effective_on": today}, follow=True
    )
    assert "Choose a rep of your teams" in response.content.decode()
    assert not HandoverPlan.objects.exists()
    client.force_login(wendy)  # Alice is not Wendy's to hand over
    response = client.post(HANDOVERS, {"rep": cast.alice.pk, "effective_on": today}, follow=True)
    assert "Choose the rep who hands over" in response.content.decode()
    assert not HandoverPlan.objects.exists()


def test_a_manager_reviews_only_their_own_teams(client, cast, wendy):
    html = html_of(client, cast.carol, REVIEW, team=cast.west.pk)
    assert "You review only the teams you manage." in html
    assert f'<option value="{cast.west.pk}"' not in html
    assert f'<option value="{cast.east.pk}"' in html
    html = html_of(client, cast.diana, REVIEW, team=cast.west.pk)
    assert "You review only the teams you manage." not in html
