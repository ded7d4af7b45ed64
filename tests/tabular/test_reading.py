"""Reading real spreadsheet files in every encoding Excel writes, from paths, bytes and uploads."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from guishu.tabular import TableError, column_letter, country_code, map_columns, read_table
from guishu.tabular.workbooks import cell_text

ROWS = [
    ["编号", "客户名称", "电话"],
    ["1", "苏州恒达精密机械有限公司", "13800138000"],
    ["2", "Müller GmbH", "+49 30 1234567"],
]


def write_csv(path: Path, encoding: str, delimiter: str = ",") -> Path:
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def xlsx(path: Path, *sheets: tuple[str, list[list[object]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_each_excel_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    table = read_table(write_csv(tmp_path / "in.csv", encoding))
    assert table.headers == ROWS[0]
    assert list(table.rows) == ROWS[1:]
    assert table.encoding == encoding
    assert table.format == "csv"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_header_line_decides_the_separator(tmp_path: Path, delimiter: str) -> None:
    table = read_table(write_csv(tmp_path / "in.csv", "utf-8", delimiter=delimiter))
    assert next(iter(table.rows))[1] == "苏州恒达精密机械有限公司"


def test_separators_inside_data_cells_do_not_mislead_the_reader() -> None:
    data = "客户名称,电话\nA,138001;139001;137001\nB,136001;135001\n".encode()
    assert list(read_table(data, filename="x.csv").rows) == [
        ["A", "138001;139001;137001"],
        ["B", "136001;135001"],
    ]


def test_an_excel_sep_line_chooses_the_separator_and_is_not_a_row() -> None:
    table = read_table(b"sep=;\nname;phone\nAcme;138\n", filename="x.csv")
    assert table.headers == ["name", "phone"]
    assert [(r.number, r.cells) for r in table.records] == [(2, ["Acme", "138"])]


def test_rows_are_numbered_as_the_spreadsheet_shows_them_and_empty_rows_skipped() -> None:
    data = b'name,note\n\nAcme,"two\nlines"\n,\nWidget,x\n'
    table = read_table(data, filename="x.csv")
    assert [(r.number, r.cells) for r in table.records] == [
        (3, ["Acme", "two\nlines"]),
        (5, ["Widget", "x"]),
    ]


def test_a_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "in.xlsx",
        ("Sheet", [["2026年客户名单"], [], ["客户名称", "电话"], ["恒达", 13800138000]]),
    )
    table = read_table(path)
    assert table.header_row == 3
    assert table.headers == ["客户名称", "电话"]
    assert [(r.number, r.cells) for r in table.records] == [(4, ["恒达", "13800138000"])]


def test_a_row_shifted_by_an_unquoted_comma_keeps_its_extra_cells() -> None:
    data = "客户名称,电话,城市\nAcme, Inc.,138001,Boston\n".encode()
    row = next(read_table(data, filename="x.csv").records)
    assert row.cells == ["Acme", " Inc.", "138001"]
    assert row.overflow == ("Boston",)


def test_bytes_and_uploaded_files_read_like_paths(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", "gb18030")
    upload = SimpleUploadedFile("客户.csv", path.read_bytes(), content_type="text/csv")
    upload.read(10)  # a form looked at it first
    for table in (
        read_table(path),
        read_table(path.read_bytes(), filename="in.csv"),
        read_table(upload),
        read_table(io.BytesIO(path.read_bytes()), filename="in.csv"),
        read_table(path.read_bytes()),  # no name at all: read by content
    ):
        assert table.headers == ROWS[0]
        assert list(table.rows) == ROWS[1:]


def test_xlsx_cells_read_as_people_see_them(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "in.xlsx",
        (
            "Sheet",
            [
                ["id", "Company", "Mobile", "When", "Active", "Share"],
                [1, "Acme Corp.", 13800138000, datetime(2026, 3, 5, 14, 30), True, 0.1 + 0.2],
                [None, None, None, None, None, None],
                [2.0, "ACME Corporation", "+86 138-0013-8000", date(2026, 3, 5), False, 12.5],
            ],
        ),
    )

    table = read_table(path)

    assert table.headers == ["id", "Company", "Mobile", "When", "Active", "Share"]
    assert [(r.number, r.cells) for r in table.records] == [
        (2, ["1", "Acme Corp.", "13800138000", "2026-03-05 14:30", "TRUE", "0.3"]),
        (4, ["2", "ACME Corporation", "+86 138-0013-8000", "2026-03-05", "FALSE", "12.5"]),
    ]


@pytest.mark.parametrize(
    "value,text",
    [
        (13800138000.0, "13800138000"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "0.00000015"),
        (Decimal("1E+3"), "1000"),
        (datetime(2026, 3, 5, 14, 29, 59, 999_800), "2026-03-05 14:30"),
        (datetime(2026, 3, 5, 14, 30, 15), "2026-03-05 14:30:15"),
        (datetime(2026, 3, 5), "2026-03-05"),
        (time(9, 5), "09:05"),
        (timedelta(hours=1, minutes=30), "01:30"),
        (None, ""),
    ],
)
def test_cell_values_become_the_text_a_person_reads(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_the_first_sheet_is_read_unless_another_is_named(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "in.xlsx",
        ("客户", [["客户名称", "电话"], ["恒达", "138"]]),
        ("跟进记录", [["客户", "跟进时间"], ["恒达", "2026-03-05"]]),
    )
    first = read_table(path)
    assert (first.sheet, first.sheets, first.headers) == (
        "客户",
        ("客户", "跟进记录"),
        ["客户名称", "电话"],
    )
    assert read_table(path, sheet="跟进记录").headers == ["客户", "跟进时间"]
    with pytest.raises(TableError, match="no sheet named 联系人") as refused:
        read_table(path, sheet="联系人")
    assert refused.value.code == "no_sheet"


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
    with pytest.raises(TableError, match="no such file"):
        read_table(tmp_path / "missing.csv")


def test_column_letters_follow_the_spreadsheet() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


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
