"""Reading exports back as a spreadsheet would: CSV text and .xlsx cells."""

import csv
import io
from typing import Any

from openpyxl import load_workbook


def body_of(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def csv_table(response: Any) -> list[list[str]]:
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def xlsx_cells(response: Any) -> list[list[Any]]:
    """Every cell of the only sheet, the header first."""
    book = load_workbook(io.BytesIO(body_of(response)))
    return [list(row) for row in book.active.iter_rows()]


def xlsx_table(response: Any) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in xlsx_cells(response)]


def as_dicts(table: list[list[Any]]) -> list[dict[str, Any]]:
    header, *rows = table
    return [dict(zip(header, row, strict=True)) for row in rows]
