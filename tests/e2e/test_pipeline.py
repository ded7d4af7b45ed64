"""Working an opportunity in a real browser: open it from the customer page, see the next
stage refused until a call is on the records, log the call, move it, and win it."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_open_move_and_win_an_opportunity(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    from guishu.pipeline.models import Opportunity
    from guishu.pipeline.services import stages_ensure_default
    from tests.factories import register

    acme = register(cast.alice, "Acme Tools")
    qualified = stages_ensure_default()[1]
    login(cast.alice)
    page.goto(f"/customers/{acme.pk}/")
    page.locator("#opportunities a.button").click()
    page.wait_for_url(re.compile(r"/opportunities/new/$"))
    page.locator("#id_title").fill("Valves for line 3")
    page.locator("#id_amount").fill("120000")
    shot("new-opportunity")
    page.locator("#opportunity-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/opportunities/\d+/$"))
    assert page.locator(".stage-path [aria-current=step]").is_visible()

    # The next stage needs a call the records do not show yet: refused, naming it.
    page.locator("#id_stage").select_option(str(qualified.pk))
    page.locator("#advance-form button[type=submit]").click()
    page.locator(".message.error").wait_for()
    shot("advance-refused")
    assert Opportunity.objects.get().stage.position == 1

    # A call logged on the timeline (the quick entry's default), then the move succeeds.
    page.goto(f"/customers/{acme.pk}/")
    page.locator("#id_outcome").fill("Needs confirmed")
    page.locator(".quick-entry button[type=submit]").click()
    page.locator("#timeline .message.success").wait_for()
    page.locator("#opportunities td.card-title a").click()
    page.locator("#id_stage").select_option(str(qualified.pk))
    page.locator("#advance-form button[type=submit]").click()
    page.locator(".message.success").wait_for()
    assert Opportunity.objects.get().stage == qualified
    shot("advanced")

    page.locator("#id_outcome").select_option("won")
    page.locator("#close-form button[type=submit]").click()
    page.locator(".message.success").wait_for()
    assert Opportunity.objects.get().status == "won"
    assert page.locator("#close-form").count() == 0
    shot("won")

    page.goto("/opportunities/?status=won")
    assert "Valves for line 3" in page.locator("#opportunity-table").inner_text()
    shot("list-won")
