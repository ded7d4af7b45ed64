"""An export as a file: JSON (the whole structure) or CSV (one row per value), attachments
that are never cached. CSV cells that a spreadsheet would run as a formula are quoted."""

import csv
import io
import json

from django.http import HttpResponse

from guishu.privacy.services import Export

FORMATS = ("json", "csv")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def export_response(export: Export, file_format: str) -> HttpResponse:
    name = f"privacy-request-{export.request.pk}.{file_format}"
    if file_format == "json":
        body = json.dumps(export.data, ensure_ascii=False, indent=2, default=str).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["section", "table", "id", "field", "value"])
        for name_, value in export.data["contact"].items():
            writer.writerow(
                [
                    "contact",
                    "customers_contact",
                    export.data["contact"]["id"],
                    name_,
                    _cell(str(value)),
                ]
            )
        for activity in export.data["activities"]:
            for name_, value in activity.items():
                writer.writerow(
                    ["activity", "activities_activity", activity["id"], name_, _cell(str(value))]
                )
        for row in export.rows():
            writer.writerow(["mention", row["table"], row["id"], row["field"], _cell(row["value"])])
        body = ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel reads it as UTF-8
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
