"""Rows to .csv and .xlsx, for any list: a header and rows of cell values, streamed.

Cell values are text, numbers (int, float, Decimal; never bool), dates, date-times, or None
for an empty cell; anything else is written as its text (lazy translations included).

- CSV: UTF-8 with a byte-order mark (so Excel on Windows reads Chinese correctly), CRLF line
  ends, every field in double quotes with inner quotes doubled (RFC 4180), text neutralised
  against formula injection (cells.py). Produced as chunks of bytes, a few hundred rows at a
  time, so a response can stream a list of any length.
- XLSX: openpyxl's write-only mode, which spools rows to a temporary file instead of holding
  the sheet in memory. Bold, frozen header row; column widths from the columns; numbers as
  numbers; dates as real dates in the given time zone (Excel has no time zones). Every text
  cell is stored as a string, never as a formula or an error value, and a risky one carries
  Excel's "quote prefix" (what typing a leading ' does): shown exactly as written, and kept
  as text even when someone edits the cell.

Plain Python and openpyxl: no Django here.
"""

import contextlib
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from guishu.exports.cells import is_risky, neutralised

BOM = "\ufeff".encode()
# Excel's limits: rows per sheet (the header included), characters per cell, sheet title.
MAX_XLSX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
MAX_TITLE_CHARS = 31
_CSV_BATCH = 500  # rows per chunk of bytes
_BOLD = Font(bold=True)
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """A column: its header as shown, and its width in characters in .xlsx."""

    title: str
    width: int = 16


@dataclass
class Sheet:
    """A list ready to write: `name` titles the worksheet and the file (in the reader's
    language), `slug` is the file's ASCII name for clients that cannot read the other."""

    name: str
    slug: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


class TooManyRows(ValueError):
    """More rows than one .xlsx sheet holds."""


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _local(moment: datetime, zone: tzinfo) -> datetime:
    """A naive local time, as spreadsheets keep them."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment.tzinfo else moment


# --- CSV ------------------------------------------------------------------------------------


def csv_field(value: Any, zone: tzinfo) -> str:
    """One cell as CSV text."""
    if value is None:
        return ""
    if _number(value):
        return str(value)
    if isinstance(value, datetime):
        return _local(value, zone).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return neutralised(str(value))


def csv_chunks(sheet: Sheet, zone: tzinfo) -> Iterator[bytes]:
    """The sheet as CSV bytes, BOM first, in chunks of a few hundred rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8", "replace")
        buffer.seek(0)
        buffer.truncate()
        return data

    writer.writerow([csv_field(column.title, zone) for column in sheet.columns])
    yield BOM + flush()
    for count, row in enumerate(sheet.rows, 1):
        writer.writerow([csv_field(value, zone) for value in row])
        if count % _CSV_BATCH == 0:
            yield flush()
    if tail := flush():
        yield tail


# --- XLSX -----------------------------------------------------------------------------------


def sheet_title(name: str) -> str:
    """A worksheet title Excel accepts: none of []:*?/\\ and at most 31 characters."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip(" '")
    return cleaned[:MAX_TITLE_CHARS] or "Sheet"


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    # Control characters XML cannot hold become U+FFFD; openpyxl would refuse the file.
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:MAX_CELL_CHARS])
    # openpyxl stores "=…" as a formula and "#N/A" as an error: this is text, whatever it says.
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True
    return cell


def _decimal_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any, zone: tzinfo) -> Any:
    """One cell for a write-only sheet: None, a bare number, or a typed cell."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = _decimal_format(value)
        return cell
    if _number(value):
        return value
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, _local(value, zone))
        cell.number_format = _DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = _DATE_FORMAT
        return cell
    return _text_cell(sheet, str(value))


def write_xlsx(sheet: Sheet, target: IO[bytes], zone: tzinfo) -> None:
    """The sheet as an .xlsx workbook written to `target` (a file opened for writing).

    Raises TooManyRows past Excel's 1,048,576 rows (CSV has no such limit)."""
    book = Workbook(write_only=True)
    book.properties.creator = "Guishu"
    worksheet = book.create_sheet(sheet_title(sheet.name))
    for index, column in enumerate(sheet.columns, 1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    header = []
    for column in sheet.columns:
        cell = _text_cell(worksheet, str(column.title))
        cell.font = _BOLD
        header.append(cell)
    worksheet.append(header)
    try:
        for count, row in enumerate(sheet.rows, 2):
            if count > MAX_XLSX_ROWS:
                raise TooManyRows(count)
            worksheet.append([xlsx_cell(worksheet, value, zone) for value in row])
    except BaseException:
        _discard(worksheet)
        raise
    book.save(target)


def _discard(worksheet: WriteOnlyWorksheet) -> None:
    """Closes a sheet left half-written and removes the temporary file openpyxl spools it
    to, which openpyxl itself removes only on saving or when the process exits."""
    with contextlib.suppress(Exception):  # the error that got us here is the one to report
        worksheet.close()
        writer = getattr(worksheet, "_writer", None)
        if writer is not None:
            writer.cleanup()
