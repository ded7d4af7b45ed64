"""The report pages in the browser: the index, a report with its charts drawn, the filters
narrowing it, and a phone-sized screen."""

import pytest

from tests.factories import register
from tests.reports.builders import BEFORE_Q3, order, touches

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_director_reads_the_reports(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    acme = register(cast.alice, "Acme Browser Ltd", level="A")
    delta = register(cast.dave, "Delta Browser Ltd")
    order(acme, {cast.alice: "12000"}, new=True)
    order(acme, {cast.alice: "3000"}, at=BEFORE_Q3)
    order(delta, {cast.dave: "7000"})
    touches(acme, cast.alice, "in_person", 2)
    touches(delta, cast.dave, "email", 5)
    login(cast.diana)
    page.goto("/reports/")
    assert page.locator(".report-card").count() == 6
    shot("index")
    page.goto("/reports/sales/?from=2026-07-01&to=2026-09-30")
    page.wait_for_selector("#report-chart-1 svg")
    assert page.locator("table").first.get_by_text("Alice").is_visible()
    shot("sales")
    page.locator("#from").fill("2026-08-11")
    page.locator(".report-filters button[type=submit]").click()
    page.wait_for_url(lambda url: "from=2026-08-11" in url)
    page.wait_for_selector("#report-chart-1 svg")
    assert page.get_by_text("2026-08-11").first.is_visible()
    shot("sales-refreshed")
    for name in ("cost-to-serve", "concentration", "rotation", "pipeline", "pool-health"):
        page.goto(f"/reports/{name}/?from=2026-07-01&to=2026-09-30")
        page.wait_for_selector("#report-chart-1 svg")
        shot(name)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/reports/cost-to-serve/?from=2026-07-01&to=2026-09-30")
    page.wait_for_selector("#report-chart-1 svg")
    shot("cost-phone")
