"""A sheet as a download: CSV streamed as it is written, XLSX through a temporary file.

Both are attachments named after the list and the day, in the reader's language, and are
never cached (`Cache-Control: no-store`): an export holds customer data.
"""

import tempfile
from collections.abc import Iterator
from datetime import tzinfo

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation

from guishu.exports.filenames import content_disposition, file_name
from guishu.exports.writers import Sheet, csv_chunks, write_xlsx

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV, "xlsx": XLSX}


def _in_language(chunks: Iterator[bytes], language: str | None) -> Iterator[bytes]:
    """The rows are written while the response streams, after the view has returned: keep
    the request's language for the texts they hold (choices, trace lines, yes and no)."""
    with translation.override(language):
        yield from chunks


def _csv(sheet: Sheet, zone: tzinfo) -> StreamingHttpResponse:
    chunks = _in_language(csv_chunks(sheet, zone), translation.get_language())
    return StreamingHttpResponse(chunks, content_type=CSV)


def _xlsx(sheet: Sheet, zone: tzinfo) -> FileResponse:
    # The workbook is spooled to disk row by row and sent from there; the file disappears
    # when the response closes it.
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        write_xlsx(sheet, target, zone)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileResponse(target, content_type=XLSX)


def download(sheet: Sheet, file_format: str) -> HttpResponseBase:
    """The sheet as a .csv or .xlsx attachment (`file_format` one of FORMATS)."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    zone = timezone.get_current_timezone()
    response = _csv(sheet, zone) if file_format == "csv" else _xlsx(sheet, zone)
    day = timezone.localdate()
    response["Content-Disposition"] = content_disposition(
        file_name(sheet.name, day, file_format), file_name(sheet.slug, day, file_format)
    )
    response["Cache-Control"] = "no-store"
    return response
