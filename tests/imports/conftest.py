"""Helpers for the import tests: spreadsheets written in memory, and an upload-and-run."""

import csv
import io
from typing import Any

from openpyxl import Workbook

from guishu.accounts.models import User
from guishu.imports.models import ImportJob
from guishu.imports.services import ImportReport, import_commit, import_preview, import_upload

HEADER = ["客户名称", "电话", "邮箱", "网址", "城市"]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(
    user: User, rows: list[list[str]], *, kind: str = "customers", name: str = "list.csv"
) -> ImportJob:
    return import_upload(user=user, kind=kind, filename=name, data=csv_bytes(rows))


def preview(user: User, rows: list[list[str]], **options: Any) -> ImportReport:
    job = upload(user, rows, kind=options.pop("kind", "customers"))
    return import_preview(user=user, job_id=job.pk, **options)


def commit(user: User, rows: list[list[str]], **options: Any) -> ImportReport:
    job = upload(user, rows, kind=options.pop("kind", "customers"))
    return import_commit(user=user, job_id=job.pk, **options)
