"""Reading workbooks: .xlsx through openpyxl (read-only, cached values) and .xls through xlrd.

Both are called by `read_table` only after guishu.tabular.safety has inspected the container.
"""

import io
import math
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from guishu.tabular.limits import Limits, TableError
from guishu.tabular.reading import Table, assemble
from guishu.tabular.safety import xml_attack_message


def read_xlsx(data: bytes, *, name: str, sheet: str | None, limits: Limits) -> Table:
    import openpyxl
    from openpyxl import load_workbook

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - a broken installation, not an input
        raise RuntimeError("openpyxl must parse through defusedxml; is OPENPYXL_DEFUSEDXML set?")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _xlsx_error(error, name) from error
    names = tuple(worksheet.title for worksheet in workbook.worksheets)
    chosen = _choose_sheet(names, sheet, name)
    worksheet = workbook[chosen]
    # Some writers record a wrong size for the sheet; without it openpyxl reads every row.
    worksheet.reset_dimensions()

    def raw() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, [cell_text(value) for value in values]
        except Exception as error:
            raise _xlsx_error(error, name) from error
        finally:
            workbook.close()

    return assemble(
        raw(), encoding="xlsx", format="xlsx", limits=limits, name=name, sheet=chosen, sheets=names
    )


def _xlsx_error(error: BaseException, name: str) -> TableError:
    """openpyxl wraps what the XML parser raised in a ValueError; defusedxml's refusal of
    entity declarations is an attack, anything else a damaged file."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return TableError(xml_attack_message(name), code="xml_attack")
        cause = cause.__cause__ or cause.__context__
    return TableError(
        _("%(name)s is not a readable .xlsx file (%(error)s).")
        % {"name": name, "error": type(error).__name__},
        code="corrupt",
    )


def read_xls(data: bytes, *, name: str, sheet: str | None, limits: Limits) -> Table:
    import xlrd

    try:
        # xlrd writes warnings about odd files to its log file, standard output by default.
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
        names = tuple(book.sheet_names())
        chosen = _choose_sheet(names, sheet, name)
        worksheet = book.sheet_by_name(chosen)
    except TableError:
        raise
    except Exception as error:  # xlrd raises XLRDError, CompDocError, struct.error, ...
        if "encrypted" in str(error).lower():
            from guishu.tabular.safety import encrypted_message

            raise TableError(encrypted_message(name), code="encrypted") from error
        raise TableError(
            _("%(name)s is not a readable .xls file (%(error)s).") % {"name": name, "error": error},
            code="corrupt",
        ) from error

    def raw() -> Iterator[tuple[int, list[str]]]:
        for index in range(worksheet.nrows):
            types = worksheet.row_types(index)
            values = worksheet.row_values(index)
            yield (
                index + 1,
                [
                    _xls_cell(kind, value, book.datemode)
                    for kind, value in zip(types, values, strict=True)
                ],
            )
        book.release_resources()

    return assemble(
        raw(), encoding="xls", format="xls", limits=limits, name=name, sheet=chosen, sheets=names
    )


def _choose_sheet(names: tuple[str, ...], wanted: str | None, name: str) -> str:
    if not names:
        raise TableError(_("%(name)s has no worksheet.") % {"name": name}, code="no_header")
    if wanted is None:
        return names[0]
    for candidate in names:
        if candidate == wanted or candidate.strip().casefold() == wanted.strip().casefold():
            return candidate
    raise TableError(
        _("%(name)s has no sheet named %(sheet)s; its sheets are: %(sheets)s.")
        % {"name": name, "sheet": wanted, "sheets": ", ".join(names)},
        code="no_sheet",
    )


def _xls_cell(kind: int, value: object, datemode: int) -> str:
    import xlrd

    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(value, "#ERROR"))
    if kind == xlrd.XL_CELL_DATE and isinstance(value, float):
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell_text(value)
        return cell_text(moment.time() if value < 1 else moment)
    return cell_text(value)


def cell_text(value: object) -> str:
    """A cell as a person reads it.

    Numbers never in scientific notation and whole numbers without ".0" (a phone number
    13800138000 stays 13800138000); dates as YYYY-MM-DD, date-times as YYYY-MM-DD HH:MM (with
    :SS only when the seconds are not zero), times as HH:MM, durations as H:MM, booleans as
    TRUE/FALSE, Excel error values as Excel shows them (#N/A).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _clock(
            value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        )
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return ("-" if seconds < 0 else "") + _clock(abs(seconds))
    return str(value)


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    # Excel shows 15 significant digits: 0.1 + 0.2 reads as 0.3, not 0.30000000000000004.
    return _plain(Decimal(f"{value:.15g}"))


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _datetime_text(value: datetime) -> str:
    # Serial numbers carry float noise: 14:30 may arrive as 14:29:59.999998.
    value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
    if value.time() == time(0, 0):
        return value.date().isoformat()
    return (
        f"{value.date().isoformat()} {_clock(value.hour * 3600 + value.minute * 60 + value.second)}"
    )


def _clock(seconds: float) -> str:
    """Seconds as HH:MM, or HH:MM:SS when they do not fall on a minute."""
    minutes, second = divmod(round(seconds), 60)
    hours, minute = divmod(minutes, 60)
    if second:
        return f"{hours:02d}:{minute:02d}:{second:02d}"
    return f"{hours:02d}:{minute:02d}"
