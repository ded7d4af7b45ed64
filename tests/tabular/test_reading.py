"""Reading real spreadsheet files in every encoding Excel writes."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from guishu.tabular import TableError, country_code, map_columns, read_table

ROWS = [
    ["编号", "客户名称", "电话"],
    ["1", "苏州恒达精密机械有限公司", "13800138000"],
    ["2", "Müller GmbH", "+49 30 1234567"],
]


def write_csv(path: Path, encoding: str, delimiter: str = ",") -> Path:
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_excel_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    table = read_table(write_csv(tmp_path / "in.csv", encoding))
    assert table.headers == ROWS[0]
    assert list(table.rows) == ROWS[1:]
    assert table.encoding == encoding


def test_semicolon_separated_csv_is_recognised(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "in.csv", "utf-8", delimiter=";"))
    assert next(iter(table.rows))[1] == "苏州恒达精密机械有限公司"


def test_xlsx_cells_read_as_people_see_them(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "Company", "Mobile"])
    sheet.append([1, "Acme Corp.", 13800138000])
    sheet.append([None, None, None])
    sheet.append([2.0, "ACME Corporation", "+86 138-0013-8000"])
    workbook.save(tmp_path / "in.xlsx")

    table = read_table(tmp_path / "in.xlsx")

    assert table.headers == ["id", "Company", "Mobile"]
    assert list(table.rows) == [
        ["1", "Acme Corp.", "13800138000"],
        ["2", "ACME Corporation", "+86 138-0013-8000"],
    ]


def test_unreadable_files_get_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    (tmp_path / "c.csv").write_bytes(b"")
    with pytest.raises(TableError, match="unsupported format"):
        read_table(tmp_path / "a.pdf")
    with pytest.raises(TableError, match=r"not a readable \.xlsx"):
        read_table(tmp_path / "b.xlsx")
    with pytest.raises(TableError, match="no header row"):
        read_table(tmp_path / "c.csv")
    with pytest.raises(TableError, match="larger than"):
        read_table(write_csv(tmp_path / "d.csv", "utf-8"), max_bytes=10)


def test_columns_are_recognised_by_english_or_chinese_headers_in_any_case() -> None:
    columns = map_columns(
        ["编号", "Company", "TEL", "手机", "Notes"],
        {"id": ["id", "编号"], "name": ["name", "company"], "phone": ["phone", "tel", "手机"]},
    )
    row = ["7", "Acme", "010-1234", "13800138000", "x"]
    assert columns.first(row, "id") == "7"
    assert columns.values(row, "phone") == ["010-1234", "13800138000"]
    assert columns.ignored == ("Notes",)


@pytest.mark.parametrize(
    "cell,code",
    [
        ("China", "CN"),
        ("中国", "CN"),
        ("de", "DE"),
        ("Deutschland", "DE"),
        ("U.S.A.", "US"),
        ("", None),
        ("Atlantis", None),
    ],
)
def test_country_cells_become_iso_codes(cell: str, code: str | None) -> None:
    assert country_code(cell) == code
