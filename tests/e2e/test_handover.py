"""A handover in the browser: Carol hands the customers of Alice, who is leaving, to Bob
(one back to the pool), checks the plan, executes it and sees them move."""

import pytest

from guishu.ownership.selectors import customers_owned_by
from tests.factories import register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CUSTOMERS = ("Alpenblick Hotels AG", "Baltic Amber Trading", "Canton Lighting Ltd")


def test_a_manager_runs_a_handover(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    for name in CUSTOMERS:
        register(cast.alice, name)
    page.on("dialog", lambda dialog: dialog.accept())
    login(cast.carol)
    page.locator("nav.nav a[href='/manager/']").click()
    page.wait_for_url("**/manager/")
    shot("console")
    page.locator(".tabs a[href='/manager/handovers/']").click()
    form = page.locator("#draft-form")
    form.locator("select[name=rep]").select_option(str(cast.alice.pk))
    form.locator("select[name=to]").select_option(str(cast.bob.pk))
    form.locator("input[name=reason]").fill("Alice is leaving the company")
    shot("draft")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/manager/handovers/*/")
    assert page.locator("#items tbody tr").count() == len(CUSTOMERS)

    row = page.locator("#items tbody tr", has_text=CUSTOMERS[2])
    row.locator("select[name=choice]").select_option("pool")
    row.locator("select[name=to]").select_option("")
    row.locator("button[type=submit]").click()
    page.locator("#items tbody tr", has_text=CUSTOMERS[2]).locator(".ok-line").wait_for()
    shot("items")

    page.locator("#check-button").click()
    page.locator("#check-result .ok-line").wait_for()
    shot("checked")
    page.locator("#execute-button").click()
    page.locator("#summary").wait_for()
    assert page.locator("#plan-status").inner_text() == "已执行"
    shot("executed")

    page.goto(f"/manager/?owner={cast.bob.pk}")
    table = page.locator("#team-customers")
    for name in CUSTOMERS[:2]:
        assert table.get_by_text(name).is_visible()
    shot("moved-to-bob")
    assert sorted(c.name for c in customers_owned_by(cast.bob)) == sorted(CUSTOMERS[:2])
    assert not customers_owned_by(cast.alice).exists()


def test_the_conflict_review_draws_conflicts_over_time(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    from guishu.ownership.registration import customer_register
    from tests.factories import customer_input

    email = "einkauf@alpenblick-hotels.de"
    register(cast.alice, CUSTOMERS[0], emails=(email,))
    customer_register(
        user=cast.bob, data=customer_input(CUSTOMERS[0], emails=(email,)), confirm_distinct=True
    )
    login(cast.carol)
    page.goto("/manager/review/")
    page.locator("#conflicts-over-time[data-drawn] svg").first.wait_for()
    assert "1" in page.locator("#review-total .figures li").first.inner_text()
    shot("review")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("review-on-a-phone")
