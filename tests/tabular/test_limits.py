"""Each limit and each hostile file is refused quickly, with a message naming what and why.

The hostile files are built at run time from small real ones (tests/tabular/crafted.py), so
nothing large or dangerous is committed.
"""

import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from django.utils import translation

from guishu.tabular import Limits, TableError, read_table
from tests.tabular import crafted

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@contextmanager
def refused(code: str, match: str) -> Iterator[None]:
    """The block raises TableError with `code` and a message matching `match`, in well under a
    second: a hostile file must cost the server nothing."""
    started = time.perf_counter()
    with pytest.raises(TableError, match=match) as caught:
        yield
    assert caught.value.code == code
    assert time.perf_counter() - started < 1.0


def read_all(data: bytes, filename: str, **options: object) -> list[list[str]]:
    table = read_table(data, filename=filename, **options)  # type: ignore[arg-type]
    return list(table.rows)


# --- the limits ------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"name\n" + b"x\n" * 600_000)
    small = Limits(max_bytes=1 * MB)
    with refused("too_large", r"big\.csv is larger than 1 MB \(the limit\); it is 1\.1 MB"):
        read_table(path, limits=small)
    with refused("too_large", "larger than 1 MB"):
        read_table(path.read_bytes(), filename="big.csv", limits=small)


def test_an_upload_is_measured_by_reading_not_by_what_it_declares() -> None:
    class Upload(io.BytesIO):
        name = "big.csv"
        size = 10  # what a client claimed

    with refused("too_large", "larger than 1 MB"):
        read_table(Upload(b"name\n" + b"x\n" * 600_000), limits=Limits(max_bytes=1 * MB))


def test_the_default_limits_are_those_documented() -> None:
    limits = Limits()
    assert (limits.max_bytes, limits.max_rows, limits.max_columns, limits.max_cell_chars) == (
        50 * MB,
        200_000,
        200,
        10_000,
    )


def test_more_rows_than_the_limit_are_refused_while_reading() -> None:
    data = b"name\n" + b"".join(f"customer {n}\n".encode() for n in range(5))
    assert len(read_all(data, "x.csv", limits=Limits(max_rows=5))) == 5
    with refused("too_many_rows", "more than 4 data rows"):
        read_all(data, "x.csv", limits=Limits(max_rows=4))


def test_rows_beyond_the_limit_in_a_workbook_are_refused_too() -> None:
    rows: list[list[object]] = [["name", "phone"], *([f"c{n}", n] for n in range(20))]
    data = crafted.xlsx_bytes(rows)
    with refused("too_many_rows", "more than 10 data rows"):
        read_all(data, "x.xlsx", limits=Limits(max_rows=10))


def test_more_columns_than_the_limit_are_refused() -> None:
    header = ",".join(f"col{n}" for n in range(6)).encode()
    with refused("too_many_columns", "has 6 columns; the limit is 5"):
        read_table(header + b"\n1,2,3,4,5,6\n", filename="x.csv", limits=Limits(max_columns=5))


def test_a_cell_longer_than_the_limit_is_refused_with_its_place() -> None:
    data = b"name,notes\nAcme," + b"x" * 11 + b"\n"
    with refused(
        "cell_too_long", "Row 2, column B has 11 characters; the limit for one cell is 10"
    ):
        read_all(data, "x.csv", limits=Limits(max_cell_chars=10))


def test_an_unterminated_quote_swallowing_the_file_meets_the_cell_limit() -> None:
    data = b'name,notes\nAcme,"never closed\n' + b"Widget,x\n" * 2000
    with refused("cell_too_long", "Row 2, column B has"):
        read_all(data, "x.csv")


# --- zip bombs -------------------------------------------------------------------------------


def _bomb_parts(sheet: bytes) -> bytes:
    return crafted.zip_of(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>", "xl/s.xml": sheet}
    )


def test_a_part_compressed_beyond_the_ratio_is_a_zip_bomb() -> None:
    with refused("zip_bomb", r"looks like a zip bomb: its part xl/s\.xml is compressed"):
        read_table(_bomb_parts(b" " * 2 * MB), filename="bomb.xlsx")


def test_a_zip_declaring_gigabytes_is_refused_from_its_directory() -> None:
    lying = crafted.declaring_size(
        crafted.xlsx_bytes(), "xl/worksheets/sheet1.xml", 4 * 1024**3 - 1
    )
    with refused("zip_bomb", "unpacks to 4,096 MB; the limit is 512 MB"):
        read_table(lying, filename="bomb.xlsx")


def test_a_zip_of_too_many_parts_is_refused() -> None:
    many = crafted.zip_of({f"xl/part{n}.xml": b"<x/>" for n in range(11)})
    with refused("zip_bomb", "holds 11 parts; the limit is 10"):
        read_table(many, filename="many.xlsx", limits=Limits(max_zip_entries=10))


def test_an_encrypted_zip_is_refused() -> None:
    data = bytearray(crafted.xlsx_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:  # set the "encrypted" flag bit of every entry in the directory
        data[at + 8] |= 0x01
        at = data.find(b"PK\x01\x02", at + 4)
    with refused("encrypted", "protected with a password"):
        read_table(bytes(data), filename="secret.xlsx")


def test_a_damaged_zip_is_refused() -> None:
    with refused("corrupt", r"not a readable \.xlsx file"):
        read_table(crafted.xlsx_bytes()[:300], filename="broken.xlsx")


# --- XML attacks -----------------------------------------------------------------------------

PARTS = ["xl/worksheets/sheet1.xml", "xl/workbook.xml"]
ATTACKS = {"billion laughs": crafted.BILLION_LAUGHS, "external entity": crafted.EXTERNAL_ENTITY}


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_entity_declarations_are_refused_before_parsing(attack: str, part: str) -> None:
    with refused("xml_attack", "XML entity or DTD declarations"):
        read_table(crafted.with_prolog(ATTACKS[attack], part=part), filename="evil.xlsx")


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_openpyxl_parses_through_defusedxml(attack: str, part: str) -> None:
    """The declarations hidden behind a long comment get past our quick look at each part's
    start; defusedxml, under openpyxl, refuses them instead of expanding them."""
    hidden = crafted.with_prolog(ATTACKS[attack], part=part, padding=70_000)
    assert openpyxl.DEFUSEDXML is True
    started = time.perf_counter()
    with pytest.raises(Exception) as caught:  # openpyxl wraps the parser's error
        workbook = openpyxl.load_workbook(io.BytesIO(hidden), read_only=True)
        list(workbook.active.iter_rows(values_only=True))
    chain: list[BaseException] = []
    error: BaseException | None = caught.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, DefusedXmlException) for e in chain)
    assert time.perf_counter() - started < 1.0
    with refused("xml_attack", "XML entity or DTD declarations"):
        read_table(hidden, filename="evil.xlsx")


# --- macros ----------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", [".xlsm", ".xltm", ".xlam"])
def test_macro_enabled_extensions_are_refused_whatever_they_hold(extension: str) -> None:
    with refused("macros", "contains macros"):
        read_table(crafted.xlsx_bytes(), filename=f"report{extension}")


def test_an_xlsx_holding_a_vba_project_is_refused() -> None:
    data = crafted.rezip(crafted.xlsx_bytes(), add={"xl/vbaProject.bin": b"\xd0\xcf" * 50})
    with refused("macros", r"report\.xlsx contains macros"):
        read_table(data, filename="report.xlsx")


def test_an_xlsx_holding_an_excel_4_macro_sheet_is_refused() -> None:
    data = crafted.rezip(crafted.xlsx_bytes(), add={"xl/macrosheets/sheet1.xml": b"<x/>"})
    with refused("macros", "contains macros"):
        read_table(data, filename="report.xlsx")


@pytest.mark.parametrize("storage", ["_VBA_PROJECT_CUR", "Macros"])
def test_an_xls_holding_a_vba_storage_is_refused(storage: str) -> None:
    data = crafted.renaming_ole_entry(crafted.xls_bytes(), "\x05SummaryInformation", storage)
    with refused("macros", r"old\.xls contains macros"):
        read_table(data, filename="old.xls")


def test_an_xls_with_an_excel_4_macro_sheet_is_refused() -> None:
    # BOUNDSHEET (0x0085) byte 5 is the sheet type; 1 is a macro sheet.
    data = crafted.patching_workbook_stream(crafted.xls_bytes(), 0x0085, byte=(5, 0x01))
    with refused("macros", "contains macros"):
        read_table(data, filename="old.xls")


# --- encryption and other documents ---------------------------------------------------------


def test_a_password_protected_xlsx_is_refused() -> None:
    # Office wraps an encrypted .xlsx in an OLE file with EncryptionInfo and EncryptedPackage.
    data = crafted.renaming_ole_entry(
        crafted.xls_bytes(), "\x05SummaryInformation", "EncryptionInfo"
    )
    with refused("encrypted", "protected with a password"):
        read_table(data, filename="secret.xlsx")


def test_a_password_protected_xls_is_refused() -> None:
    # FILEPASS (0x002F) in the workbook globals marks an encrypted .xls.
    data = crafted.patching_workbook_stream(crafted.xls_bytes(), 0x00E1, new_type=0x002F)
    with refused("encrypted", "protected with a password"):
        read_table(data, filename="secret.xls")


def test_a_word_document_named_xls_is_refused() -> None:
    data = crafted.renaming_ole_entry(crafted.xls_bytes(), "Workbook", "WordDocument")
    with refused("unsupported_format", "an Office file but not an Excel workbook"):
        read_table(data, filename="letter.xls")


@pytest.mark.parametrize(
    "filename,message",
    [("a.xlsb", "binary workbook"), ("a.ods", "OpenDocument"), ("a.pdf", "unsupported format")],
)
def test_formats_we_do_not_read_are_named(filename: str, message: str) -> None:
    with refused("unsupported_format", message):
        read_table(b"anything", filename=filename)


def test_an_opendocument_file_named_xlsx_is_named_for_what_it_is() -> None:
    ods = crafted.zip_of(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
    )
    with refused("unsupported_format", "OpenDocument"):
        read_table(ods, filename="a.xlsx")


# --- names that lie about the content ------------------------------------------------------

LIARS: list[tuple[str, Callable[[], bytes], str]] = [
    ("export.xls", lambda: "客户名称\t电话\n恒达\t138\n".encode("gb18030"), "csv"),
    ("export.xlsx", lambda: "客户名称,电话\n恒达,138\n".encode(), "csv"),
    ("renamed.xls", lambda: crafted.xlsx_bytes([["客户名称", "电话"], ["恒达", "138"]]), "xlsx"),
    ("renamed.csv", lambda: crafted.xlsx_bytes([["客户名称", "电话"], ["恒达", "138"]]), "xlsx"),
]


@pytest.mark.parametrize("filename,content,format", LIARS)
def test_a_table_under_another_name_is_read_by_its_content(
    filename: str, content: Callable[[], bytes], format: str
) -> None:
    table = read_table(content(), filename=filename)
    assert (table.format, table.headers, list(table.rows)) == (
        format,
        ["客户名称", "电话"],
        [["恒达", "138"]],
    )


def test_an_old_xls_is_read_even_when_named_csv() -> None:
    table = read_table(crafted.xls_bytes(), filename="customers.csv")
    assert (table.format, table.headers[0]) == ("xls", "客户名称")


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><table><tr><td>name</td></tr></table></body></html>",
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:'
        b'spreadsheet"/>',
        "\ufeff<table><tr><td>客户</td></tr></table>".encode("utf-16"),
    ],
)
def test_a_web_page_named_xls_is_refused_with_how_to_fix_it(content: bytes) -> None:
    with refused("disguised", "web page .* save it as an Excel workbook"):
        read_table(content, filename="export.xls")


def test_binary_noise_named_xlsx_or_csv_is_refused() -> None:
    with refused("corrupt", r"not a readable \.xlsx file"):
        read_table(b"\x00\x01\x02garbage", filename="x.xlsx")
    with refused("corrupt", "not a text file"):
        read_table(b"name,phone\n\x00\x01\x02", filename="x.csv")
