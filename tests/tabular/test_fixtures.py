"""Every committed fixture, written by openpyxl or by LibreOffice in each format and encoding,
reads back to the same headers and rows (tests/fixtures/spreadsheets/make.py has the data)."""

from pathlib import Path

import pytest

from guishu.tabular import read_table
from guishu.tabular.headers import parse_row, propose_mapping
from tests.fixtures.spreadsheets import make

SHEET_TITLES = {stem: title for title, stem, _headers, _rows in make.SHEETS}
WORKBOOKS = [
    ("crm-openpyxl.xlsx", "xlsx"),
    ("crm-libreoffice.xlsx", "xlsx"),
    ("crm-libreoffice.xls", "xls"),
]


def _csv_variants() -> list[tuple[str, str]]:
    encodings = {"utf8": "utf-8", "utf8-bom": "utf-8-sig", "gb18030": "gb18030"}
    return [(suffix, encodings[suffix]) for suffix, _charset, _prefix in make.CSV_VARIANTS]


def _read(path: Path, sheet: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    table = read_table(path, sheet=sheet)
    return table.headers, [(row.number, row.cells) for row in table.records]


def test_every_fixture_is_committed_and_small() -> None:
    names = [name for name, _format in WORKBOOKS] + [
        f"{stem}-{suffix}.csv" for stem in SHEET_TITLES for suffix, _ in _csv_variants()
    ]
    for name in names:
        path = make.HERE / name
        assert path.is_file(), f"{name} is missing: run tests/fixtures/spreadsheets/make.py"
        assert path.stat().st_size < 32 * 1024


@pytest.mark.parametrize("stem", list(SHEET_TITLES))
@pytest.mark.parametrize("name,format", WORKBOOKS)
def test_workbooks_from_openpyxl_and_libreoffice_read_to_the_data(
    stem: str, name: str, format: str
) -> None:
    table = read_table(make.HERE / name, sheet=SHEET_TITLES[stem])
    assert table.format == format
    assert table.sheets == tuple(SHEET_TITLES.values())
    assert _read(make.HERE / name, SHEET_TITLES[stem]) == make.expected(stem)


@pytest.mark.parametrize("stem", list(SHEET_TITLES))
@pytest.mark.parametrize("suffix,encoding", _csv_variants())
def test_csv_from_libreoffice_in_each_encoding_reads_to_the_data(
    stem: str, suffix: str, encoding: str
) -> None:
    path = make.HERE / f"{stem}-{suffix}.csv"
    assert read_table(path).encoding == encoding
    assert _read(path) == make.expected(stem)


def test_the_gb18030_file_holds_a_character_gbk_cannot() -> None:
    raw = (make.HERE / "customers-gb18030.csv").read_bytes()
    assert "𠮷".encode("gb18030") in raw
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")


def test_the_first_sheet_is_the_customers_sheet() -> None:
    assert _read(make.HERE / "crm-libreoffice.xls") == make.expected("customers")


def test_the_malformed_customer_row_reports_each_bad_cell_by_row_and_header() -> None:
    table = read_table(make.HERE / "customers-gb18030.csv")
    mapping = propose_mapping(table.headers, "customers")
    parsed = {row.number: parse_row(row, mapping) for row in table.records}

    assert [number for number, row in parsed.items() if not row.ok] == [7]
    assert {(i.row, i.header) for i in parsed[7].issues} == {
        (7, "电话"),
        (7, "邮箱"),
        (7, "统一社会信用代码"),
        (7, "国家"),
        (7, "客户等级"),
    }
    assert str(parsed[7].issues[0]) == "Row 7, column 电话: “n/a” is not a phone number."
    assert parsed[6].values["phones"] == ["4155550132"]
    assert parsed[6].values["emails"] == ["li.wei@acme.com", "sales@acme.com"]
    assert parsed[6].values["aliases"] == ["ACME", "𠮷野家贸易"]
    assert parsed[6].values["level"] == "B"
    assert parsed[4].values["phones"] == ["010-58256688", "13900139000"]
    assert parsed[2].values["credit_code"] == "91320500MA1NABCDEM"


def test_the_malformed_activity_row_reports_each_bad_cell() -> None:
    table = read_table(make.HERE / "crm-libreoffice.xls", sheet="跟进记录")
    mapping = propose_mapping(table.headers, "activities")
    rows = [parse_row(row, mapping) for row in table.records]

    assert [row.ok for row in rows] == [True, True, True, True, False]
    assert {issue.header for issue in rows[-1].issues} == {
        "跟进方式",
        "跟进时间",
        "时长（分钟）",
        "客户主动",
    }
    visit, wechat, quote, audit = (row.values for row in rows[:4])
    assert (visit["kind"], visit["channel"], visit["duration"]) == ("visit", "in_person", 90)
    assert visit["when"].isoformat() == "2026-03-05T14:30:00+08:00"
    assert visit["customer_initiated"] is True
    assert (wechat["kind"], wechat["channel"]) == ("chat", "wechat")
    assert (quote["kind"], "channel" in quote) == ("quote", False)
    assert (audit["kind"], audit["channel"]) == ("factory_visit", "in_person")


def test_the_malformed_contact_row_names_the_missing_name() -> None:
    table = read_table(make.HERE / "crm-openpyxl.xlsx", sheet="Contacts")
    mapping = propose_mapping(table.headers, "contacts")
    rows = [parse_row(row, mapping) for row in table.records]

    assert rows[0].values == {
        "customer": "苏州恒达精密机械有限公司",
        "name": "王强",
        "title": "采购经理",
        "phones": ["13800138001"],
        "emails": ["wang@hengda.cn"],
        "wechat": ["wq_hengda"],
        "chain_role": "decision_maker",
        "stance": "supporter",
    }
    assert (rows[1].values["chain_role"], rows[1].values["stance"]) == ("decision_maker", "neutral")
    assert {issue.header for issue in rows[3].issues} == {
        "Name",
        "Phone",
        "Email",
        "Role",
        "Stance",
    }
