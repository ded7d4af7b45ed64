"""The reports through the API (JSON, .xlsx) and the pages (charts, tables, htmx), with the
filters in the query string and visibility by role."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from guishu.reports.registry import REPORTS
from tests.factories import register
from tests.reports.builders import BEFORE_Q3, order, touches

pytestmark = pytest.mark.db_facing
Q3 = "from=2026-07-01&to=2026-09-30"


@pytest.fixture
def sold(cast):
    acme = register(cast.alice, "Acme Pages Ltd", level="A")
    delta = register(cast.dave, "Delta Pages Ltd")
    order(acme, {cast.alice: "1000"}, new=True)
    order(acme, {cast.alice: "200"}, at=BEFORE_Q3)
    order(delta, {cast.dave: "700"})
    touches(acme, cast.alice, "in_person")
    return cast


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_the_api_answers_the_figures_the_viewer_may_see(sold):
    url = reverse("api-report", kwargs={"name": "sales"}) + "?" + Q3
    body = api(sold.diana).get(url).json()
    assert body["report"] == "sales"
    assert body["filters"] == {"from": "2026-07-01", "to": "2026-09-30"}
    assert {r["label"]: (r["new"], r["incremental"]) for r in body["reps"]} == {
        "Alice": ("1000.00", "-200.00"),
        "Dave": ("0.00", "700.00"),
    }
    assert body["total"]["total"] == "1700.00"
    mine = api(sold.alice).get(url).json()
    assert [r["label"] for r in mine["reps"]] == ["Alice"]


def test_the_api_refuses_a_team_the_viewer_may_not_look_at(sold):
    url = reverse("api-report", kwargs={"name": "sales"})
    response = api(sold.carol).get(url, {"team": sold.west.pk})
    assert response.status_code == 400
    assert response.json()["parameter"] == "team"
    ok = api(sold.diana).get(url, {"team": sold.west.pk, "from": "2026-07-01"})
    assert [r["label"] for r in ok.json()["reps"]] == ["Dave"]
    for bad in (
        {"to": "2026-02-30"},
        {"currency": "yuan"},
        {"from": "2026-09-01", "to": "2026-08-01"},
    ):
        assert api(sold.diana).get(url, bad).status_code == 400


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_downloads_as_xlsx_and_answers_json(sold, name):
    response = api(sold.carol).get(
        reverse("api-report-export", kwargs={"name": name, "file_format": "xlsx"}) + "?" + Q3
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row >= 1
    json = api(sold.carol).get(reverse("api-report", kwargs={"name": name}) + "?" + Q3)
    assert json.status_code == 200 and json.json()["report"] == name


def test_the_sales_download_holds_the_rows(sold):
    response = api(sold.diana).get(
        reverse("api-report-export", kwargs={"name": "sales", "file_format": "xlsx"}) + "?" + Q3
    )
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:4] == ("Row", "Name", "Team", "New customers")
    assert ("Rep", "Alice", "East", 1000, 0, -200, 1000) in rows


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_page_renders_with_charts_and_a_download_link(sold, name):
    client = Client()
    client.force_login(sold.diana)
    with translation.override("en"):
        response = client.get(reverse("report-page", kwargs={"name": name}) + "?" + Q3)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="report-chart-1"' in html
    assert f"/api/v1/reports/{name}.xlsx?" in html


def test_a_page_shows_bad_filters_instead_of_running(sold):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(sold.alice)
    response = client.get(reverse("report-page", kwargs={"name": "sales"}), {"from": "nope"})
    assert response.status_code == 200
    assert "Give a date" in response.content.decode()


def test_a_reps_page_names_only_them(sold):
    client = Client()
    client.force_login(sold.dave)
    html = client.get(reverse("report-page", kwargs={"name": "sales"}) + "?" + Q3).content.decode()
    assert "Dave" in html and "Alice" not in html


def test_a_currency_without_sales_points_to_the_ones_with_sales(cast):
    delta = register(cast.dave, "Delta Euro GmbH")
    order(delta, {cast.dave: "700"}, currency="EUR")
    order(delta, {cast.dave: "90"}, currency="USD")
    order(delta, {cast.dave: "50"}, currency="EUR")
    sales = reverse("report-page", kwargs={"name": "sales"}) + "?" + Q3
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.dave)
    hint = client.get(sales).content.decode()
    assert "No sales in CNY in this period" in hint
    assert hint.index(">EUR</a>") < hint.index(">USD</a>")  # the most sold first
    assert "currency=EUR" in hint
    assert 'id="other-currencies"' not in client.get(sales + "&currency=EUR").content.decode()
    client.force_login(cast.alice)  # Alice sold nothing: no hint about Dave's currencies
    assert 'id="other-currencies"' not in client.get(sales).content.decode()
