"""Privacy requests: due dates, the export in one action (JSON and CSV), the API and the
pages, and the retention rule for old activity text."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from guishu.activities.models import Activity
from guishu.customers.models import Contact
from guishu.ops.schedule import daily_jobs
from guishu.privacy.models import PrivacyRequest, RetentionRun
from guishu.privacy.retention import activity_text_retention_run
from guishu.privacy.services import privacy_export, privacy_request_open
from tests.privacy.conftest import E164, EMAIL, Trail

pytestmark = pytest.mark.db_facing
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_a_request_is_due_fifteen_days_after_it_was_received(cast: Any, trail: Trail):
    received = datetime(2026, 12, 1, 23, 30, tzinfo=SHANGHAI)
    opened = privacy_request_open(
        user=cast.admin, contact_id=trail.contact.pk, kind="export", received_at=received
    )
    assert opened.due_on == date(2026, 12, 16)
    assert opened.status == "open" and opened.subject.startswith(f"contact {trail.contact.pk}")


@pytest.mark.django_db
def test_the_due_period_is_a_setting(cast: Any, trail: Trail, settings):
    settings.GUISHU_PRIVACY_DUE_DAYS = 30  # GDPR's month
    opened = privacy_request_open(user=cast.admin, contact_id=trail.contact.pk, kind="erase")
    assert opened.due_on == timezone.localdate() + timedelta(days=30)


@pytest.mark.django_db(transaction=True)
def test_the_export_holds_everything_about_the_contact(allow_flush: None, cast: Any, trail: Trail):
    opened = privacy_request_open(user=cast.admin, contact_id=trail.contact.pk, kind="export")
    export = privacy_export(user=cast.admin, request_id=opened.pk)
    data = export.data
    assert data["contact"]["phone"] == trail.contact.phone and data["contact"]["email"] == EMAIL
    assert [a["outcome"] for a in data["activities"]] == ["Zhang Min will send the drawings"]
    tables = {record["table"] for record in data["records"]}
    assert {
        "customers_identifier",
        "activities_activity",
        "notifications_notification",
        "imports_importjob",
        "disputes_collision",
        "ownership_ownershipevent",
    } <= tables
    # Another contact's notes naming her are hers too; an unrelated activity is not.
    assert any("Zhang Min's boss" in str(r["fields"]) for r in data["records"])
    assert not any("budget" in str(r["fields"]) for r in data["records"])
    closed = PrivacyRequest.objects.get(pk=opened.pk)
    assert closed.status == "done" and closed.handled_by == cast.admin
    assert [entry["action"] for entry in closed.audit] == ["opened", "exported"]


@pytest.mark.django_db(transaction=True)
def test_the_api_exports_csv_and_erases_only_when_confirmed(
    allow_flush: None, cast: Any, trail: Trail
):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(cast.admin)
    opened = api.post(
        reverse("api-privacy-requests"),
        {"contact": trail.contact.pk, "kind": "erase"},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    download = api.post(
        reverse("api-privacy-export", kwargs={"request_id": pk}), {"format": "csv"}, format="json"
    )
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="privacy-request-{pk}.csv"'
    text = download.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"section", "table", "id", "field", "value"} == set(rows[0])
    assert any(row["value"] == EMAIL for row in rows)
    assert any(E164 in row["value"] for row in rows if row["table"] == "notifications_notification")
    refused = api.post(
        reverse("api-privacy-erase", kwargs={"request_id": pk}), {"confirm": False}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_confirmed"
    erased = api.post(
        reverse("api-privacy-erase", kwargs={"request_id": pk}), {"confirm": True}, format="json"
    )
    assert erased.status_code == 200 and erased.json()["status"] == "done"
    assert Contact.objects.get(pk=trail.contact.pk).email == ""
    again = api.post(
        reverse("api-privacy-erase", kwargs={"request_id": pk}), {"confirm": True}, format="json"
    )
    assert again.status_code == 400
    listed = api.get(reverse("api-privacy-requests")).json()
    assert [item["id"] for item in listed["results"]] == [pk]


@pytest.mark.django_db(transaction=True)
def test_the_pages_open_export_and_erase(allow_flush: None, cast: Any, trail: Trail):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.admin)
    opened = client.post(
        reverse("ops-privacy"),
        {"contact": str(trail.contact.pk), "kind": "erase", "note": "by mail"},
    )
    request = PrivacyRequest.objects.get()
    assert opened["Location"] == reverse("ops-privacy-detail", kwargs={"request_id": request.pk})
    with translation.override("en"):
        page = client.get(opened["Location"]).content.decode()
    assert request.due_on.isoformat() in page and "Erase the contact" in page
    download = client.post(
        reverse("ops-privacy-export", kwargs={"request_id": request.pk}), {"format": "json"}
    )
    assert json.loads(download.content)["contact"]["email"] == EMAIL
    client.post(reverse("ops-privacy-erase", kwargs={"request_id": request.pk}))
    assert Contact.objects.get(pk=trail.contact.pk).email == EMAIL  # not confirmed: nothing
    client.post(
        reverse("ops-privacy-erase", kwargs={"request_id": request.pk}), {"confirm": "erase"}
    )
    assert Contact.objects.get(pk=trail.contact.pk).email == ""
    listing = client.get(reverse("ops-privacy")).content.decode()
    assert f"#{request.pk}" in listing


@pytest.mark.django_db
def test_the_ops_page_shows_readiness_and_counts(cast: Any):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.admin)
    page = client.get(reverse("ops-index")).content.decode()
    assert "Slow requests in the last 24 hours" in page and "missing" in page


# --- retention ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_retention_blanks_old_activity_text_and_records_the_run(
    allow_flush: None, cast: Any, trail: Trail
):
    now = timezone.now()
    old = Activity.objects.create(
        customer=trail.customer,
        by=cast.alice,
        kind="visit",
        occurred_at=now - timedelta(days=400),
        outcome="met the buyer",
        note="old gossip",
    )
    run = activity_text_retention_run(days=365, now=now)
    assert run is not None and run.blanked == 1
    old.refresh_from_db()
    assert (old.note, old.outcome, old.kind) == ("", "", "visit")
    recent = Activity.objects.exclude(pk=old.pk).exclude(note="")
    assert recent.count() == 2  # the trail's, two days old, are kept
    again = activity_text_retention_run(days=365, now=now)
    assert again is not None and again.blanked == 0
    assert RetentionRun.objects.count() == 2


@pytest.mark.django_db
def test_retention_is_off_by_default_and_runs_daily():
    assert activity_text_retention_run() is None
    assert "privacy_retention" in [job.name for job in daily_jobs()]
