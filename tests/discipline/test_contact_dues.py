"""Judging thousands of customers' next contact without building each one's reasons
(`contact_dues`) must say exactly what the explained rows say (`cadence_for`): the same rule,
read from grouped queries instead of per-customer subqueries. And the pages that use it show
every overdue customer, a page at a time."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.activities.services import order_record
from guishu.discipline.cadence import cadence_for, contact_dues, overdue_page
from guishu.discipline.models import Classification
from guishu.policies.services import policy_version_save
from tests.factories import register

pytestmark = pytest.mark.db_facing

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def logged(customer, by, kind: str, days: int) -> None:  # type: ignore[no-untyped-def]
    Activity.objects.create(
        customer=customer, by=by, kind=kind, channel="phone", occurred_at=ago(days)
    )


def classified(customer, strategy: str) -> None:  # type: ignore[no-untyped-def]
    Classification.objects.create(
        customer=customer, strategy=strategy, evaluated_at=NOW, updated_at=NOW
    )


@pytest.fixture
def varied(cast, wendy):  # type: ignore[no-untyped-def]
    """Every way a due date is made: levels, strategies, no contact, contacts that do not
    count, services and deliveries followed up or not, and a team with its own cadence."""
    policy_version_save(
        user=cast.admin,
        team=cast.west,
        values={"cadence_days": {"A": 20, "B": 40, "C": 45}},
        now=ago(400),
    )
    kinds = ["call", "catalog_sent", "service", "visit", "email"]
    n = 0
    for owner in (cast.alice, cast.bob, cast.dave):
        for level in "ABC":
            for strategy in ("", "let_go", "dig_in", "give_up"):
                n += 1
                customer = register(owner, f"Due {n} GmbH", level=level, now=ago(200 - n))
                if strategy:
                    classified(customer, strategy)
                if n % 2:
                    logged(customer, owner, kinds[n % len(kinds)], n)
                if n % 3 == 0:
                    logged(customer, owner, "service", n // 2)
                if n % 4 == 0:
                    order_record(
                        user=owner,
                        customer_id=customer.pk,
                        number=f"SO-{n}",
                        amount=Decimal(1000),
                        ordered_at=ago(n % 12),
                        now=ago(n % 12),
                    )
                if n % 5 == 0:
                    logged(customer, owner, "visit", max(n % 12 - 1, 0))
    return cast


def test_judging_without_reasons_agrees_with_the_explained_rows(varied, wendy):
    cast = varied
    for viewer in (cast.alice, cast.carol, wendy, cast.diana):
        quick = {due.customer_id: due.due_at for due in contact_dues(viewer, NOW)}
        explained = {row.customer_id: row.status.due_at for row in cadence_for(viewer, NOW)}
        assert quick == explained, viewer.username
    dues = contact_dues(cast.diana, NOW)
    assert len(dues) == 36 and dues == sorted(dues)
    overdue = [due for due in dues if due.due_at <= NOW]
    assert 0 < len(overdue) < 36  # the world has both


def test_a_page_of_overdue_customers_is_explained_most_overdue_first(varied):
    cast = varied
    every = [due for due in contact_dues(cast.diana, NOW) if due.due_at <= NOW]
    page = overdue_page(cast.diana, NOW, offset=2, limit=3)
    assert page.total == len(every)
    assert [row.customer_id for row in page.rows] == [d.customer_id for d in every[2:5]]
    assert all(row.status.overdue and row.reason for row in page.rows)
    days = [row.status.days_overdue for row in overdue_page(cast.diana, NOW).rows]
    assert days == sorted(days, reverse=True)


def test_the_due_contacts_page_shows_every_overdue_customer_a_page_at_a_time(client, cast):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    taken = timezone.now() - timedelta(days=400)
    for n in range(53):
        register(cast.alice, f"Neglected {n:02d} Ltd", now=taken + timedelta(minutes=n))
    client.force_login(cast.alice)
    url = reverse("discipline-cadence")
    first = client.get(url)
    assert first.context["overdue_total"] == 53 and len(first.context["overdue"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url, {"page": 2})
    names = [row.name for row, _reason, _strategy in second.context["overdue"]]
    assert names == ["Neglected 50 Ltd", "Neglected 51 Ltd", "Neglected 52 Ltd"]
    home = client.get(reverse("home-overdue"))
    assert home.context["overdue_total"] == 53 and len(home.context["overdue_by_cadence"]) == 10


def test_above_the_limit_the_lists_ask_whose_customers_first(client, cast):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    taken = timezone.now() - timedelta(days=400)
    for n in range(3):
        register(cast.alice, f"Old {n} Ltd", now=taken)
    register(cast.bob, "Bobs Old Ltd", now=taken)
    client.force_login(cast.carol)
    url = reverse("discipline-cadence")
    with override_settings(GUISHU_LIST_JUDGE_LIMIT=3):
        page = client.get(url)
        assert page.context["too_many"] == 4 and "overdue" not in page.context
        assert "too many to judge one by one" in page.content.decode()
        alices = client.get(url, {"owner": cast.alice.pk})
        assert alices.context["overdue_total"] == 3
        assert f"owner={cast.alice.pk}" == alices.context["query"]
        home = client.get(reverse("home-overdue")).content.decode()
        assert "You oversee 4 customers" in home
        dates = client.get(reverse("home-dates"))
        assert dates.context["too_many"] == 4 and "reclaims" not in dates.context
    # Someone outside the viewer's people is not a filter: the whole team again.
    assert client.get(url, {"owner": cast.dave.pk}).context["overdue_total"] == 4
    client.force_login(cast.alice)
    assert client.get(url).context["people"] is None  # a rep sees their own only


def test_the_overdue_api_takes_one_persons_customers_and_asks_for_one_above_the_limit(cast):
    from rest_framework.test import APIClient

    taken = timezone.now() - timedelta(days=400)
    register(cast.alice, "Old Alice Ltd", now=taken)
    register(cast.bob, "Old Bob Ltd", now=taken)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(cast.carol)
    url = reverse("api-discipline-overdue")
    assert api.get(url).json()["count"] == 2
    bobs = api.get(url, {"owner": cast.bob.pk}).json()
    assert [row["name"] for row in bobs["results"]] == ["Old Bob Ltd"]
    assert api.get(url, {"owner": cast.dave.pk}).status_code == 400  # not one of Carol's
    assert api.get(url, {"owner": "x"}).status_code == 400
    with override_settings(GUISHU_LIST_JUDGE_LIMIT=1):
        refused = api.get(url)
        assert refused.status_code == 400 and refused.json()["parameter"] == "owner"
        assert api.get(url, {"owner": cast.alice.pk}).json()["count"] == 1
