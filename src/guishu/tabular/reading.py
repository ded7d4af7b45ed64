"""Reading a header row and data rows from .csv or .xlsx, as text cells.

CSV encodings: UTF-8 with or without BOM, and GB18030 (a superset of GBK, what Excel writes on
Chinese Windows) when the bytes are not valid UTF-8. Spreadsheet cells come back as text the
way a person reads them: 13800138000 stays 13800138000, never 13800138000.0 or 1.38e10.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

MAX_BYTES = 200 * 1024 * 1024


class TableError(ValueError):
    """A file that cannot be read as a table, with a message a user can act on."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list[str]]
    encoding: str


def read_table(path: Path, *, max_bytes: int = MAX_BYTES) -> Table:
    """The header row and an iterator of data rows (each padded to the header's width)."""
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if path.stat().st_size > max_bytes:
        raise TableError(f"{path}: larger than {max_bytes // (1024 * 1024)} MB")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path.read_bytes())
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise TableError(f"{path}: unsupported format {suffix or '(none)'}; use .csv or .xlsx")


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was written in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        raise TableError("the file is neither UTF-8 nor GB18030 text") from error


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_csv_bytes(data)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    headers = next(reader, None)
    if not headers or not any(cell.strip() for cell in headers):
        raise TableError("the file has no header row")
    width = len(headers)

    def rows() -> Iterator[list[str]]:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield (row + [""] * width)[:width]

    return Table(headers=[h.strip() for h in headers], rows=rows(), encoding=encoding)


def _read_xlsx(path: Path) -> Table:
    # openpyxl parses through defusedxml when it is installed (it is a dependency), which
    # refuses entity-expansion and external-entity attacks.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise TableError(f"{path}: not a readable .xlsx file ({error})") from error
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None or not any(cell not in (None, "") for cell in first):
        workbook.close()
        raise TableError("the first sheet has no header row")
    headers = [cell_text(cell).strip() for cell in first]
    width = len(headers)

    def rows() -> Iterator[list[str]]:
        try:
            for raw in values:
                row = [cell_text(cell) for cell in raw]
                if any(cell.strip() for cell in row):
                    yield (row + [""] * width)[:width]
        finally:
            workbook.close()

    return Table(headers=headers, rows=rows(), encoding="xlsx")


def cell_text(value: object) -> str:
    """A cell as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
