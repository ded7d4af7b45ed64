"""Customer discipline in the browser: due contacts, the weekly plan, a complaint from receipt
to resolution (on a phone-sized screen), and the manager's charts. No console errors allowed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_rep_works_through_due_contacts_plan_and_a_complaint_on_a_phone(  # type: ignore[no-untyped-def]
    page, login, shot, cast, allow_flush
):
    register(cast.alice, "Nordwind Pumpen GmbH", now=timezone.now() - timedelta(days=100))
    page.set_viewport_size(PHONE)
    login(cast.alice)
    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state()
    # The home page asks for the overdue customers once it has shown.
    page.goto("/")
    page.locator("#overdue-by-cadence .due-list").wait_for()
    assert "Nordwind Pumpen GmbH" in page.locator("#overdue-by-cadence").inner_text()
    shot("home-overdue-phone")
    page.goto("/discipline/")
    assert page.get_by_text("Nordwind Pumpen GmbH").first.is_visible()
    assert page.get_by_text("no contact since it was taken on").first.is_visible()
    shot("due-contacts-phone")
    page.get_by_role("link", name="Weekly plan").click()
    page.get_by_role("button", name="Generate the plan").click()
    page.wait_for_load_state()
    assert (
        page.get_by_text("returns to the pool soon").first.is_visible()
        or page.get_by_text("contact overdue").first.is_visible()
    )
    shot("plan-phone")
    page.get_by_role("link", name="Complaints").click()
    page.locator("#summary").fill("Two pumps arrived with cracked housings")
    page.get_by_role("button", name="Record").click()
    page.wait_for_url("**/complaints/*/")
    shot("complaint-recorded")
    page.locator("#outcome").fill("Replaced both pumps within a week")
    page.get_by_role("button", name="Close the complaint").click()
    page.wait_for_load_state()
    assert page.locator(".tag-good").first.inner_text() == "resolved"
    shot("complaint-resolved")


def test_a_manager_sees_the_portfolio_and_time_charts(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    register(cast.alice, "Acme Tools", now=timezone.now() - timedelta(days=10))
    login(cast.carol)
    page.goto("/discipline/portfolio/")
    page.locator("#portfolio-strategy svg").first.wait_for()
    shot("portfolio")
    page.goto("/discipline/time/")
    page.locator("#time-selling svg").first.wait_for()
    shot("time")
