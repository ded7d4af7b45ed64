"""The home page: what needs me today, for a rep and for a manager; the frame around every
page (the badge, the search box, the menu) and the language setting."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guishu.disputes.models import Collision
from guishu.notifications.models import Notification
from guishu.ownership.registration import customer_register
from tests.factories import customer_input, register

pytestmark = pytest.mark.db_facing

HOME = reverse("home")
DATES = reverse("home-dates")


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_home_lists_reclaims_protection_ending_and_follow_ups_of_my_customers(cast):
    now = timezone.now()
    # 30 days of protection; level B is reclaimed after 30 days without a follow-up, C after 60.
    soon = register(cast.alice, "Reclaimed Soon GmbH", level="B", now=now - timedelta(days=27))
    ending = register(cast.alice, "Protection Ends Ltd", level="C", now=now - timedelta(days=25))
    fresh = register(cast.alice, "Fresh Customer Ltd", level="B", now=now)
    overdue = register(cast.alice, "Overdue Ltd", level="B", now=now - timedelta(days=40))
    register(cast.bob, "Bobs Own Ltd", level="B", now=now - timedelta(days=27))

    page = client_for(cast.alice).get(HOME).content.decode()
    # The dates come once the page has shown (htmx).
    assert f'hx-get="{DATES}"' in page and 'id="reclaims"' in page
    response = client_for(cast.alice).get(DATES)

    assert response.status_code == 200
    reclaims = [due.customer.name for due in response.context["reclaims"]]
    assert soon.name in reclaims and "Bobs Own Ltd" not in reclaims
    assert overdue.name in reclaims  # past due, the nightly sweep not run yet
    assert ending.name in [due.customer.name for due in response.context["ending"]]
    assert fresh.name not in reclaims
    html = response.content.decode()
    assert reverse("customer-detail", args=[soon.pk]) in html
    assert "What needs me today" in page and "Reclaim forecast" in html
    assert 'id="reclaim-forecast"' in html  # the chart box and its spec
    assert sum(response.context["forecast_chart"]["series"][0]["data"]) >= 3


def test_a_manager_sees_the_teams_customers_and_collisions_to_decide(cast):
    now = timezone.now()
    register(
        cast.alice,
        "Acme Tools",
        level="B",
        phones=("+86 138 0013 8000",),
        now=now - timedelta(days=27),
    )
    refused = customer_register(
        user=cast.bob, data=customer_input("Acme Tools Co., Ltd.", phones=("13800138000",))
    )
    assert not refused.created
    assert Collision.objects.filter(attempted_by=cast.bob).exists()

    response = client_for(cast.carol).get(HOME)

    html = response.content.decode()
    assert "Collisions and disputes to decide" in html
    assert [c.attempted_by for c in response.context["collisions"]] == [cast.bob]
    dates = client_for(cast.carol).get(DATES)
    assert "Acme Tools" in [due.customer.name for due in dates.context["reclaims"]]
    # Dave's team is not Carol's: nothing of his appears.
    assert not client_for(cast.dave).get(HOME).context["collisions"]


def test_notifications_show_with_an_unread_badge_in_the_header(cast):
    customer = register(cast.alice, "Acme Tools")
    Notification.objects.create(
        recipient=cast.alice,
        kind="protection_ending",
        customer=customer,
        message="{owner}'s protection of {customer} ends on {date}",
        params={"owner": "Alice", "customer": "Acme Tools", "date": "2026-12-20"},
        source="test:1",
        created_at=timezone.now(),
    )
    html = client_for(cast.alice).get(HOME).content.decode()
    assert "Alice&#x27;s protection of Acme Tools ends on 2026-12-20" in html
    assert '<span class="badge"' in html and "1 unread" in html
    assert '<span class="badge"' not in client_for(cast.bob).get(HOME).content.decode()


def test_every_page_has_the_search_box_and_the_menu_button(cast):
    html = client_for(cast.alice).get(HOME).content.decode()
    assert 'id="global-q"' in html and 'aria-keyshortcuts="/"' in html
    assert 'class="nav-toggle"' in html and "guishu/frame.js" in html
    assert "{# nav:" not in html  # the marker is a template comment


def test_customers_past_their_contact_cadence_are_on_their_owners_home(cast):
    overdue = reverse("home-overdue")
    with translation.override("en"):
        html = client_for(cast.alice).get(HOME).content.decode()
        # The section comes once the page has shown (htmx), with a way there without it.
        section = html[html.index('id="overdue-by-cadence"') :]
        assert f'hx-get="{overdue}"' in section[: section.index(">")]
        assert reverse("discipline-cadence") in section[: section.index("</section>")]
        html = client_for(cast.alice).get(overdue).content.decode()
        assert "Every customer is within its contact cadence." in html
        register(cast.alice, "Quiet Ltd", level="A", now=timezone.now() - timedelta(days=45))
        html = client_for(cast.alice).get(overdue).content.decode()
    assert 'id="overdue-by-cadence"' in html and "Quiet Ltd" in html
    assert "Quiet Ltd" not in client_for(cast.bob).get(overdue).content.decode()
    assert "Quiet Ltd" in client_for(cast.carol).get(overdue).content.decode()


def test_switching_language_stores_it_and_logging_in_brings_it_back(cast):
    client = client_for(cast.alice)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": HOME})
    cast.alice.refresh_from_db()
    assert cast.alice.language == "zh-hans"

    browser = Client(HTTP_ACCEPT_LANGUAGE="en")  # a new browser that prefers English
    response = browser.post(reverse("login"), {"username": "alice", "password": "pw-for-tests-1"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert '<html lang="zh-hans">' in browser.get(HOME).content.decode()


def test_without_a_setting_the_browser_chooses(cast):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post(reverse("login"), {"username": "bob", "password": "pw-for-tests-1"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="en">' in browser.get(HOME).content.decode()


def test_home_costs_the_same_queries_for_few_customers_or_many(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.carol)
    now = timezone.now()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for serial in range(count):
            owner = (cast.alice, cast.bob)[serial % 2]
            register(owner, level="B", now=now - timedelta(days=20 + serial % 10))

    add(4)
    few = queries()
    add(40)
    assert queries() == few
