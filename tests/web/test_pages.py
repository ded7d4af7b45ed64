"""The pages as their readers use them: whose customers a list shows, what it costs, and what
the customer page says about why a customer is owned by whom, in Chinese and in English."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guishu.activities.services import activity_log
from guishu.customers.inputs import ContactInput, CustomerInput
from guishu.domain import ReclaimRule
from guishu.ownership.registration import customer_register
from guishu.ownership.services import customer_reclaim, customer_transfer, pool_release
from tests.factories import register

pytestmark = pytest.mark.db_facing

LIST = reverse("customer-list")


def day(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()


def detail(customer) -> str:  # type: ignore[no-untyped-def]
    return reverse("customer-detail", kwargs={"customer_id": customer.pk})


def listed(client, user, **params) -> list[str]:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [row.customer.name for row in response.context["rows"]]


def page_in(client, language: str, url: str) -> str:  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# The list


def test_each_role_lists_the_customers_it_answers_for(client, cast, wendy):
    for owner, name in (
        (cast.alice, "Acme"),
        (cast.bob, "Bolt"),
        (cast.dave, "Delta"),
        (cast.bob, "Pooled"),
    ):
        register(owner, name)
    pooled = register(cast.bob, "Gone to the pool")
    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted

    assert listed(client, cast.alice) == ["Acme"]
    assert listed(client, cast.bob) == ["Bolt", "Pooled"]
    assert listed(client, cast.dave) == ["Delta"]
    assert listed(client, cast.carol) == ["Acme", "Bolt", "Pooled"]
    assert listed(client, wendy) == ["Delta"]
    assert listed(client, cast.diana) == ["Acme", "Bolt", "Delta", "Pooled"]
    assert listed(client, cast.admin) == ["Acme", "Bolt", "Delta", "Pooled"]


def test_the_list_shows_owner_level_and_dates(client, cast):
    now = timezone.now()
    register(cast.alice, "Acme Tools", level="A", now=now)
    client.force_login(cast.carol)
    html = client.get(LIST).content.decode()
    assert "Acme Tools" in html and "Alice" in html
    assert day(now) in html  # owned since
    assert day(now + timedelta(days=30)) in html  # protected until


def test_searching_lists_only_names_containing_the_words(client, cast):
    for name in ("上海华东机械有限公司", "Acme Tools", "Acme Trading", "Bolt GmbH"):
        register(cast.alice, name)
    assert listed(client, cast.alice, q="acme") == ["Acme Tools", "Acme Trading"]
    assert listed(client, cast.alice, q="华东") == ["上海华东机械有限公司"]
    assert listed(client, cast.alice, q="nothing like it") == []


def test_the_list_pages_by_fifty(client, cast):
    for serial in range(51):
        register(cast.alice, f"Customer {serial:02d} Ltd")
    assert len(listed(client, cast.alice)) == 50
    assert listed(client, cast.alice, page=2) == ["Customer 50 Ltd"]
    assert listed(client, cast.alice, page="not a number")[0] == "Customer 00 Ltd"


def test_fifty_rows_cost_the_same_queries_as_ten(client, cast, django_assert_max_num_queries):
    def queries_for_the_list(**params: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, params)
        return len(queries), len(response.context["rows"])

    client.force_login(cast.carol)  # a manager: the rows have different owners
    for serial in range(10):
        register((cast.alice, cast.bob)[serial % 2], f"Few {serial}", level="A")
    few, rows = queries_for_the_list()
    assert rows == 10
    few_filtered, rows = queries_for_the_list(level="A", status="protected", sort="-owner_since")
    assert rows == 10
    for serial in range(40):
        register((cast.alice, cast.bob)[serial % 2], f"Many {serial}", level="A")
    many, rows = queries_for_the_list()
    assert rows == 50
    assert many == few
    many_filtered, rows = queries_for_the_list(level="A", status="protected", sort="-owner_since")
    assert rows == 50
    assert many_filtered == few_filtered
    # The session, the user, the manager's team trees (three queries, asked by the list's
    # selector and again for the owner filter's choices), those choices, the count, the
    # page's customers, their owners, the policies in force (the company's version, the teams
    # with their own), the saved views and the unread badge: none of them per row.
    with django_assert_max_num_queries(16):
        client.get(LIST)


def test_search_finds_names_in_any_script_pinyin_initials_phones_and_emails(client, cast):
    register(cast.alice, "北京字节跳动科技有限公司", phones=("+86 138 0013 8000",))
    register(cast.alice, "Mueller Industrietechnik GmbH", emails=("einkauf@mueller-it.de",))
    register(cast.alice, "上海华东机械有限公司")
    register(cast.bob, "字节跳动 Bob's copy Ltd")  # not Alice's: never found for her

    def found(query: str) -> list[str]:
        return listed(client, cast.alice, q=query)

    assert found("zjtd") == ["北京字节跳动科技有限公司"]  # pinyin initials
    assert found("ZJTD") == ["北京字节跳动科技有限公司"]
    assert found("zijie") == ["北京字节跳动科技有限公司"]  # pinyin
    assert found("字節跳動") == ["北京字节跳动科技有限公司"]  # traditional characters
    assert found("138-0013-8000") == ["北京字节跳动科技有限公司"]  # a phone, formatted
    assert found("+86 13800138000") == ["北京字节跳动科技有限公司"]
    assert found("8000") == ["北京字节跳动科技有限公司"]  # its last digits
    assert found("EINKAUF@mueller-it.de") == ["Mueller Industrietechnik GmbH"]
    assert found("mueller") == ["Mueller Industrietechnik GmbH"]
    assert found("shhd") == ["上海华东机械有限公司"]
    assert found("nothing like it") == []


def test_filters_narrow_the_list_and_the_owner_filter_is_for_managers(client, cast):
    now = timezone.now()
    register(cast.alice, "Old A", level="A", now=now - timedelta(days=40))
    register(cast.alice, "Ending C", level="C", now=now - timedelta(days=25))
    register(cast.bob, "Bob B", level="B", now=now)
    pooled = register(cast.bob, "Pooled C")
    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted

    assert listed(client, cast.carol, level="A") == ["Old A"]
    assert listed(client, cast.carol, status="protected") == ["Bob B", "Ending C"]
    assert listed(client, cast.carol, status="unprotected") == ["Old A"]
    assert listed(client, cast.carol, ending="7") == ["Ending C"]
    assert listed(client, cast.carol, owner=str(cast.bob.pk)) == ["Bob B"]
    assert listed(client, cast.carol, sort="-name") == ["Old A", "Ending C", "Bob B"]
    assert listed(client, cast.alice, scope="pool") == ["Pooled C"]
    # A rep has no owner filter: the parameter is ignored, never a way into others' lists.
    assert listed(client, cast.alice, owner=str(cast.bob.pk)) == ["Ending C", "Old A"]
    assert listed(client, cast.alice, level="Z", sort="nonsense") == ["Ending C", "Old A"]


def test_htmx_gets_the_table_alone(client, cast):
    register(cast.alice, "Acme Tools")
    client.force_login(cast.alice)
    response = client.get(LIST, {"q": "acme"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Acme Tools" in html and "<html" not in html and 'id="bulk-form"' in html


def test_saved_views_are_per_person_and_keep_only_known_filters(client, cast):
    from guishu.web.models import SavedView

    client.force_login(cast.alice)
    response = client.post(
        reverse("saved-view-create"),
        {"name": "Key accounts", "params": "level=A&q=acme&owner=3&bogus=1"},
    )
    assert response.status_code == 302 and response["Location"] == f"{LIST}?q=acme&level=A"
    view = SavedView.objects.get()
    assert view.user == cast.alice and view.params == {"q": "acme", "level": "A"}
    assert "Key accounts" in client.get(LIST).content.decode()
    client.force_login(cast.bob)
    assert "Key accounts" not in client.get(LIST).content.decode()
    assert client.post(reverse("saved-view-delete", args=[view.pk])).status_code == 404
    client.force_login(cast.alice)
    client.post(reverse("saved-view-delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_bulk_release_asks_for_confirmation_then_reports_each_customer(client, cast):
    from guishu.ownership.models import Ownership

    mine = [register(cast.alice, f"Mine {n}") for n in range(3)]
    bobs = register(cast.bob, "Bobs")
    ids = [str(c.pk) for c in mine] + [str(bobs.pk)]
    client.force_login(cast.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    asked = client.post(reverse("customer-bulk"), {"action": "release", "ids": ids})
    html = asked.content.decode()
    assert "Confirm the bulk action" in html and "This applies to 3 customers" in html
    assert "Bobs" not in html  # not in Alice's list: dropped
    assert Ownership.objects.filter(ended_at__isnull=True).count() == 4

    done = client.post(reverse("customer-bulk"), {"action": "release", "ids": ids, "confirm": "on"})
    assert done.context["done"] == 3 and done.context["refused"] == 0
    assert set(Ownership.objects.filter(ended_at__isnull=True).values_list("owner", flat=True)) == {
        cast.bob.pk
    }


def test_a_manager_transfers_in_bulk_and_a_rep_may_not(client, cast):
    from guishu.ownership.models import Ownership

    customers = [register(cast.alice, f"Alice {n}") for n in range(2)]
    ids = [str(c.pk) for c in customers]
    client.force_login(cast.carol)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    missing = client.post(reverse("customer-bulk"), {"action": "transfer", "ids": ids})
    assert "Choose whom to transfer the customers to." in missing.content.decode()
    done = client.post(
        reverse("customer-bulk"),
        {"action": "transfer", "ids": ids, "to": cast.bob.pk, "confirm": "on"},
    )
    assert done.context["done"] == 2
    assert Ownership.objects.filter(ended_at__isnull=True, owner=cast.bob).count() == 2

    client.force_login(cast.bob)
    refused = client.post(
        reverse("customer-bulk"),
        {"action": "transfer", "ids": ids, "to": cast.alice.pk, "confirm": "on"},
    )
    assert "Select a valid choice" in refused.content.decode()
    assert Ownership.objects.filter(ended_at__isnull=True, owner=cast.bob).count() == 2


# The customer page


def test_the_customer_page_shows_profile_contacts_evidence_forecast_and_activities(client, cast):
    now = timezone.now()
    registered_at = now - timedelta(days=20)  # protection ends in 10 days
    result = customer_register(
        user=cast.alice,
        now=registered_at,
        first_contact_at=registered_at - timedelta(days=3),
        details_found_at=registered_at - timedelta(days=2),
        data=CustomerInput(
            name="Acme Tools",
            level="A",
            phones=("+86 138 0013 8000",),
            websites=("acme-tools.com",),
            city="Ningbo",
            contacts=(
                ContactInput(
                    name="Li Lei",
                    title="Purchasing manager",
                    chain_role="decision_maker",
                    stance="supporter",
                ),
            ),
        ),
    )
    customer = result.customer
    assert customer is not None
    assert (
        activity_log(
            user=cast.alice,
            customer_id=customer.pk,
            kind="factory_visit",
            occurred_at=now - timedelta(days=1),
            channel="in_person",
            outcome="Agreed on a trial order",
            now=now,
        ).activity
        is not None
    )
    client.force_login(cast.alice)

    html = page_in(client, "en", detail(customer))

    for text in (
        "Acme Tools",
        "+86 138 0013 8000",
        "acme-tools.com",
        "Ningbo",
        "Li Lei",
        "Purchasing manager",
        "Decision maker",
        "Supporter",
        "Factory visit",
        "Agreed on a trial order",
        "First contact",
        "Contact details found",
    ):
        assert text in html, text
    assert day(registered_at - timedelta(days=3)) in html  # first contact
    # Level A returns to the pool 15 days after the last valid follow-up, after protection ends.
    due = day(now - timedelta(days=1) + timedelta(days=15))
    assert f"Returns to the pool on <strong>{due}</strong>" in html


def test_the_history_lists_every_event_with_its_actor_or_the_system(client, cast):
    start = timezone.now() - timedelta(days=200)
    customer = register(cast.alice, "Acme Tools", now=start)
    assert customer_transfer(
        user=cast.carol,
        customer_id=customer.pk,
        to=cast.bob,
        reason="Bob speaks German",
        now=start + timedelta(days=1),
    ).accepted
    assert customer_reclaim(
        customer_id=customer.pk, rule=ReclaimRule.NO_DEAL, now=start + timedelta(days=120)
    ).accepted
    client.force_login(cast.diana)

    html = page_in(client, "en", detail(customer))

    assert "registered by Alice on" in html
    assert f"Carol transferred it from Alice to Bob on {day(start + timedelta(days=1))}" in html
    assert f"returned to the pool on {day(start + timedelta(days=120))} from Bob" in html
    assert "Alice → Bob" in html and "Bob → Pool" in html and "System" in html
    assert "Acme Tools is in the pool: eligible reps may claim it" in html


def test_the_why_panel_reads_in_chinese_and_in_english(client, cast):
    now = timezone.now()
    customer = register(cast.alice, "Acme Tools", now=now)
    since, until = day(now), day(now + timedelta(days=30))
    client.force_login(cast.alice)

    zh = page_in(client, "zh-hans", detail(customer))
    en = page_in(client, "en", detail(customer))

    assert '<html lang="zh-hans">' in zh and '<html lang="en">' in en
    assert f"Alice 于 {since} 报备，保护期 30 天，至 {until}" in zh
    assert f"保护期至 {until}：其他同事不得介入" in zh
    assert "registered by" not in zh
    assert f"registered by Alice on {since}, protected for 30 days until {until}" in en
    assert f"protected until {until}: no colleague may step in" in en
    assert "报备" not in en


def test_the_language_switch_in_the_header_changes_the_language(client, cast):
    client.force_login(cast.alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": LIST})
    assert response.status_code == 302
    assert "My customers" in client.get(LIST).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": LIST})
    assert "我的客户" in client.get(LIST).content.decode()


def test_another_reps_customer_is_not_found_and_not_named(client, cast):
    customer = register(cast.alice, "Acme Tools")
    client.force_login(cast.bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(detail(customer))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist, or it is not yours to see." in html
    assert "Acme" not in html and "Alice" not in html


def test_names_in_a_trace_are_escaped(client, cast):
    customer = register(cast.alice, "<b>Bold</b> Trading")
    assert pool_release(user=cast.alice, customer_id=customer.pk).accepted
    client.force_login(cast.bob)
    html = page_in(client, "en", detail(customer))
    assert "&lt;b&gt;Bold&lt;/b&gt; Trading is in the pool" in html
    assert "<b>Bold</b>" not in html


# Logging in and out


def test_logging_in_leads_home_and_logging_out_to_the_login_page(client, cast):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests-1"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(LIST).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(LIST).status_code == 302


def test_a_wrong_password_shows_the_login_form_again(client, cast):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_a_pooled_customers_details_are_masked_when_the_policy_hides_them(cast):
    import dataclasses
    from unittest import mock

    from django.test import Client

    from guishu.ownership.policies import policy_in_force
    from guishu.ownership.services import pool_release

    pooled = register(cast.bob, "Sonnenweg Armaturen GmbH", phones=("+49 711 5550 1234",))
    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.alice)
    url = f"/customers/{pooled.pk}/"
    assert "+49 711 5550 1234" in client.get(url).content.decode()
    hidden = dataclasses.replace(policy_in_force(), pool_contacts_hidden=True)
    with mock.patch("guishu.web.views_customer.policy_in_force", return_value=hidden):
        page = client.get(url).content.decode()
    assert "+49 711 5550 1234" not in page and "****" in page
    assert "masked until you claim" in page
