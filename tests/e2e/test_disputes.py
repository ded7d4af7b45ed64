"""A dispute in the browser: Bob opens one on his collision with Alice's customer, Alice
states her side, Carol (their manager) decides a joint follow-up, and both see the outcome."""

import pytest

from guishu.disputes.models import Collision, Dispute
from guishu.ownership.registration import customer_register
from tests.factories import customer_input, register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "Mueller Industrietechnik GmbH"
EMAIL = "einkauf@mueller-industrietechnik.de"


def switch_to(page, login, user) -> None:  # type: ignore[no-untyped-def]
    page.locator(".topbar form[action='/logout/'] button").click()
    page.wait_for_url("**/login/**")
    login(user)


def test_open_state_and_decide_a_dispute(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    register(cast.alice, NAME, emails=(EMAIL,))
    refused = customer_register(
        user=cast.bob, data=customer_input(NAME, emails=(EMAIL,)), confirm_distinct=True
    )
    assert not refused.created
    collision = Collision.objects.get(attempted_by=cast.bob)

    login(cast.bob)
    page.locator("nav.nav a[href='/disputes/']").click()
    page.wait_for_url("**/disputes/")
    row = page.locator(f"#collision-{collision.pk}")
    row.locator("input[name=reason]").fill("I got the factory visit agreed.")
    shot("bob-inbox")
    row.locator("button[type=submit]").click()
    page.wait_for_url("**/disputes/*/")
    assert page.locator(".side").count() == 2  # both parties' evidence side by side
    page.locator("#statement-form textarea[name=text]").fill("Months of work; the visit is mine.")
    page.locator("#statement-form select[name=option]").select_option("to_challenger")
    page.locator("#statement-form button[type=submit]").click()
    page.wait_for_load_state()
    shot("bob-opened-and-stated")
    dispute_url = page.url

    switch_to(page, login, cast.alice)
    page.goto(dispute_url)
    page.locator("#statement-form textarea[name=text]").fill("I registered it a year ago.")
    page.locator("#statement-form select[name=option]").select_option("owner_keeps")
    page.locator("#statement-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#statements .statement").count() == 2
    assert page.locator("#decision-form").count() == 0  # a party does not decide
    shot("alice-stated")

    switch_to(page, login, cast.carol)
    page.goto("/disputes/")
    page.locator("#disputes-table a", has_text=NAME).click()
    page.wait_for_url(dispute_url)
    form = page.locator("#decision-form")
    form.locator("select[name=option]").select_option("joint")
    form.locator("select[name=lead]").select_option(str(cast.bob.pk))
    form.locator("input[name=share]").fill("30")
    form.locator("textarea[name=rationale]").fill("Bob's work made the visit; Alice assists.")
    shot("carol-deciding")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#outcome").get_by_text("Bob").first.is_visible()
    shot("carol-decided")
    dispute = Dispute.objects.get()
    assert dispute.status == Dispute.Status.DECIDED and dispute.lead_id == cast.bob.pk

    for party in (cast.bob, cast.alice):
        switch_to(page, login, party)
        page.goto(dispute_url)
        assert page.locator("#dispute-status.status-decided").inner_text() == "已裁决"
        assert "30" in page.locator("#outcome").inner_text()
        shot(f"{party.username}-sees-the-outcome")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("outcome-on-a-phone")
