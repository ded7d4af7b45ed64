"""Reading a header row and data rows from .xlsx, .xls or .csv, as text cells.

The file's content decides how it is read, not its name: a ".xls" that an ERP system wrote as
tab-separated text is read as text, and a ".csv" that is really a workbook is read as one. A
".xls" that is a web page is refused with a message saying how to save it properly. Names still
matter for one thing: macro-enabled extensions (.xlsm, ...) are refused whatever they hold.

CSV encodings: UTF-8 with or without BOM, UTF-16 with a BOM (Excel's "Unicode text"), and
GB18030 (a superset of GBK, what Excel writes on Chinese Windows) when the bytes are not valid
UTF-8. Workbook cells come back as text the way a person reads them; see `cell_text`.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.utils.translation import gettext as _

from guishu.exports.cells import QUOTE, unquoted
from guishu.tabular.limits import DEFAULT_LIMITS, Limits, TableError, megabytes
from guishu.tabular.safety import (
    EMPTY_ZIP_MAGIC,
    OLE_MAGIC,
    ZIP_MAGIC,
    inspect_ole,
    inspect_zip,
    refuse_by_extension,
)

# How far below the top a header row may sit under title rows ("2026年客户名单").
_HEADER_SEARCH_ROWS = 10
_DELIMITERS = (",", ";", "\t", "|")


class Readable(Protocol):
    """A binary file object: an open file, io.BytesIO, Django's UploadedFile."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number as the spreadsheet shows it (the header row is usually 1),
    one cell per header, and any non-empty cells to the right of the last header (in a CSV
    usually a comma inside an unquoted value, which shifts the row's cells)."""

    number: int
    cells: list[str]
    overflow: tuple[str, ...] = ()


@dataclass
class Table:
    """A sheet's header row and its non-empty data rows, read lazily: a limit that only
    the rows can break (row count, cell length) raises TableError while iterating."""

    headers: list[str]
    records: Iterator[Row]
    encoding: str
    format: str = "csv"  # what the content is: "csv", "xlsx" or "xls"
    sheet: str | None = None  # the sheet read, for workbooks
    sheets: tuple[str, ...] = ()  # every worksheet's name, in workbook order
    header_row: int = 1

    @property
    def rows(self) -> Iterator[list[str]]:
        """The cells of each data row, without row numbers (shares `records`' iterator)."""
        return (record.cells for record in self.records)


def read_table(
    source: Path | bytes | Readable,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """The header row and an iterator of data rows of a file's first sheet (or `sheet`).

    `source` is a path, the file's bytes, or a binary file object such as Django's
    UploadedFile; `filename` is the name the user gave it (defaults to the path's or the file
    object's name), used for its extension and in messages. Raises TableError, also while
    the rows are iterated (row count and cell length limits, a damaged sheet).
    """
    name, data = _load(source, filename, limits)
    extension = Path(name).suffix.lower()
    if filename is not None or isinstance(source, Path) or extension:
        refuse_by_extension(extension, name)  # bytes with no name are read by content alone
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        inspect_zip(data, name, limits)
        from guishu.tabular.workbooks import read_xlsx

        return read_xlsx(data, name=name, sheet=sheet, limits=limits)
    if data.startswith(OLE_MAGIC):
        inspect_ole(data, name)
        from guishu.tabular.workbooks import read_xls

        return read_xls(data, name=name, sheet=sheet, limits=limits)
    if extension != ".csv":
        _refuse_disguised_text(data, name, extension)
    return read_csv_bytes(data, name=name, limits=limits)


def _load(
    source: Path | bytes | Readable, filename: str | None, limits: Limits
) -> tuple[str, bytes]:
    if isinstance(source, Path):
        name = filename or source.name
        if not source.is_file():
            raise TableError(_("%(name)s: no such file") % {"name": source}, code="missing")
        _check_size(source.stat().st_size, name, limits)
        return name, source.read_bytes()
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = filename or "upload"
    else:
        name = filename or Path(str(getattr(source, "name", "") or "upload")).name
        seek = getattr(source, "seek", None)
        if callable(seek):  # a form may have looked at the upload already
            seek(0)
        # Read one byte past the limit rather than trusting a declared size.
        data = source.read(limits.max_bytes + 1)
    _check_size(len(data), name, limits)
    return name, data


def _check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise TableError(
            _("%(name)s is larger than %(limit)s (the limit); it is %(size)s.")
            % {"name": name, "limit": megabytes(limits.max_bytes), "size": megabytes(size)},
            code="too_large",
        )


def _refuse_disguised_text(data: bytes, name: str, extension: str) -> None:
    """A workbook name on text: read it as a table when it is one, refuse it otherwise."""
    head = _peek_text(data[:4096])
    if head.lstrip().startswith("<"):
        raise TableError(
            _(
                "%(name)s is a web page (HTML) or XML file with an %(extension)s name, as some "
                "systems export; it is not a real Excel file. Open it in Excel or WPS, save it "
                "as an Excel workbook (.xlsx) and upload it again."
            )
            % {"name": name, "extension": extension},
            code="disguised",
        )
    first_line = head.lstrip("\r\n").split("\n", 1)[0]
    if "\x00" in head or not any(delimiter in first_line for delimiter in _DELIMITERS):
        raise TableError(
            _(
                "%(name)s is not a readable %(extension)s file: it is neither an Excel "
                "workbook nor a table of text."
            )
            % {"name": name, "extension": extension},
            code="corrupt",
        )


def _peek_text(head: bytes) -> str:
    """The start of a file as text, tolerating a character cut off at the end."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(encoding, errors="replace").lstrip("\ufeff")
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:
                return head[: error.start].decode(encoding)
    return head.decode("latin-1")


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was written in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode(data, "gb18030"), "gb18030"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise TableError(
            _("The file is neither UTF-8 nor GB18030 text (undecodable bytes at %(offset)s).")
            % {"offset": f"{error.start:,}"},
            code="encoding",
        ) from error


def read_csv_bytes(
    data: bytes, *, name: str = "upload.csv", limits: Limits = DEFAULT_LIMITS
) -> Table:
    text, encoding = decode_csv_bytes(data)
    if "\x00" in text:
        raise TableError(
            _("%(name)s is not a text file, so it cannot be read as CSV.") % {"name": name},
            code="corrupt",
        )
    lines = io.StringIO(text, newline="")
    first = lines.readline()
    delimiter = _explicit_separator(first)
    if delimiter is None:
        lines.seek(0)
        delimiter = _guess_delimiter(first)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True)

    def raw() -> Iterator[tuple[int, list[str]]]:
        try:
            # Excel numbers a record, however many lines its quoted cells span, as one row.
            # A cell an export marked as text ('=…) reads as the text it marks.
            for number, cells in enumerate(reader, start=1):
                yield number, [unquoted(cell) if cell[:1] == QUOTE else cell for cell in cells]
        except csv.Error as error:
            raise TableError(
                _("%(name)s: row %(row)s is not valid CSV (%(error)s).")
                % {"name": name, "row": f"{reader.line_num:,}", "error": error},
                code="corrupt",
            ) from error

    return assemble(raw(), encoding=encoding, format="csv", limits=limits, name=name)


def _explicit_separator(line: str) -> str | None:
    """Excel honours a first line `sep=;` and does not show it as a row."""
    stripped = line.strip()
    if stripped.lower().startswith("sep=") and len(stripped) == 5:
        return stripped[4]
    return None


def _guess_delimiter(header_line: str) -> str:
    # The header line decides: headers almost never contain a separator, whereas data cells
    # often do ("138...; 139..." in a phone cell) and would mislead a statistical sniffer.
    counts = {delimiter: header_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def assemble(
    raw: Iterator[tuple[int, list[str]]],
    *,
    encoding: str,
    format: str,
    limits: Limits,
    name: str,
    sheet: str | None = None,
    sheets: tuple[str, ...] = (),
) -> Table:
    """A Table from numbered rows of text cells: finds the header, applies the limits, skips
    empty rows, and fits each row to the header's width."""
    head: list[tuple[int, list[str]]] = []
    for number, cells in raw:
        if any(cell.strip() for cell in cells):
            head.append((number, cells))
            if len(head) == _HEADER_SEARCH_ROWS:
                break
    if not head:
        where = _("the sheet %(sheet)s") % {"sheet": sheet} if sheet else name
        raise TableError(_("%(where)s has no header row.") % {"where": where}, code="no_header")
    # A title row above the table has one filled cell; the header is the first row with two.
    position = next((i for i, (_n, cells) in enumerate(head) if _filled(cells) >= 2), 0)
    header_number, header_cells = head[position]
    width = max(i for i, cell in enumerate(header_cells) if cell.strip()) + 1
    if width > limits.max_columns:
        raise TableError(
            _("%(name)s has %(count)s columns; the limit is %(limit)s.")
            % {"name": name, "count": f"{width:,}", "limit": f"{limits.max_columns:,}"},
            code="too_many_columns",
        )
    _check_cells(header_number, header_cells, limits)
    headers = [cell.strip() for cell in header_cells[:width]]
    buffered = head[position + 1 :]

    def records() -> Iterator[Row]:
        count = 0
        for number, cells in _chain(buffered, raw):
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > limits.max_rows:
                raise TableError(
                    _("%(name)s has more than %(limit)s data rows (the limit).")
                    % {"name": name, "limit": f"{limits.max_rows:,}"},
                    code="too_many_rows",
                )
            _check_cells(number, cells, limits)
            fitted = (cells + [""] * width)[:width]
            overflow = tuple(cell for cell in cells[width:] if cell.strip())
            yield Row(number=number, cells=fitted, overflow=overflow)

    return Table(
        headers=headers,
        records=records(),
        encoding=encoding,
        format=format,
        sheet=sheet,
        sheets=sheets,
        header_row=header_number,
    )


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _chain(
    buffered: list[tuple[int, list[str]]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from buffered
    yield from rest


def _check_cells(number: int, cells: list[str], limits: Limits) -> None:
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            raise TableError(
                _(
                    "Row %(row)s, column %(column)s has %(count)s characters; the limit for "
                    "one cell is %(limit)s."
                )
                % {
                    "row": f"{number:,}",
                    "column": column_letter(index),
                    "count": f"{len(cell):,}",
                    "limit": f"{limits.max_cell_chars:,}",
                },
                code="cell_too_long",
            )


def column_letter(index: int) -> str:
    """The spreadsheet's name for a 0-based column position: 0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
