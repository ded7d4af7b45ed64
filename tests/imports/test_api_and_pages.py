"""Imports through the API and the pages, with the real task worker running the preview and
the commit: upload, adjust the mapping, preview (nothing written), import, follow the
progress; a job is its uploader's; the ownership rules are checked before anything runs."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from guishu.customers.models import Customer
from guishu.disputes.models import Collision
from guishu.imports.models import ImportJob
from guishu.ownership.models import Ownership
from tests.factories import make_cast, register

pytestmark = pytest.mark.db_facing

CSV = (
    "客户名称,联系电话,邮箱,所在城市\n"
    "Nordwind Pumpen GmbH,+49 711 5550 1234,info@nordwind-pumpen.de,Stuttgart\n"
    "深圳市恒达电机有限公司,+86 755 2660 1188,sales@hengda-motor.cn,深圳\n"
    "Acme Werkzeuge GmbH,+49 89 4411 2200,info@acme-werkzeuge.de,München\n"
).encode()


def api(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*")


def owner_of(name: str) -> int | None:
    term = Ownership.objects.filter(customer__name=name, ended_at__isnull=True).first()
    return term.owner_id if term else None


@pytest.mark.django_db(transaction=True)
def test_upload_map_preview_import_through_the_api_with_the_worker(allow_flush):
    cast = make_cast()
    acme = register(cast.bob, "Acme Werkzeuge GmbH", phones=("+49 89 4411 2200",))
    alice = api(cast.alice)

    uploaded = alice.post(
        "/api/v1/imports/",
        {"kind": "customers", "file": SimpleUploadedFile("kunden.csv", CSV, "text/csv")},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.json()
    job = uploaded.json()
    url = f"/api/v1/imports/{job['id']}/"
    fields = {column["header"]: column["field"] for column in job["columns"]}
    assert fields["客户名称"] == "name" and fields["所在城市"] == "city"

    # The job is Alice's alone.
    assert api(cast.bob).get(url).status_code == 404
    # A rep cannot send what she imports to a pool: refused before anything runs.
    refused = alice.post(url + "commit/", {"owner_rule": "pool"}, format="json")
    assert refused.status_code == 403

    previewed = alice.post(url + "preview/", {}, format="json")
    assert previewed.status_code == 202
    assert previewed.json()["waiting_for_worker"] is True
    run_worker()
    job = alice.get(url).json()
    assert job["status"] == "previewed", job
    assert job["counts"]["new"] == 2 and job["counts"]["collision"] == 1
    assert not Customer.objects.filter(name="Nordwind Pumpen GmbH").exists()  # nothing written

    committed = alice.post(
        url + "commit/", {"mode": "skip_invalid"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1"
    )
    assert committed.status_code == 202
    run_worker()
    job = alice.get(url).json()
    assert job["status"] == "done", job
    assert job["progress"]["done"] == job["progress"]["total"] > 0
    assert owner_of("Nordwind Pumpen GmbH") == cast.alice.pk
    assert owner_of("深圳市恒达电机有限公司") == cast.alice.pk
    # Bob's Acme stays Bob's: a collision is recorded, nothing merged.
    assert owner_of("Acme Werkzeuge GmbH") == cast.bob.pk
    assert Collision.objects.filter(customer=acme, attempted_by=cast.alice).exists()
    assert Customer.objects.filter(name="Acme Werkzeuge GmbH").count() == 1


def test_the_pages_upload_map_and_show_progress(cast):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.alice)
    response = client.post(
        "/imports/",
        {"kind": "customers", "file": SimpleUploadedFile("kunden.csv", CSV, "text/csv")},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(uploaded_by=cast.alice)
    assert response["Location"] == f"/imports/{job.pk}/"

    page = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "客户名称" in page.content.decode()
    saved = client.post(f"/imports/{job.pk}/mapping/", {"column-0": "name", "column-3": ""})
    assert saved.status_code == 302
    job.refresh_from_db()
    assert job.mapping["所在城市"] is None

    queued = client.post(f"/imports/{job.pk}/preview/", {"owner_rule": "importer"})
    assert queued.status_code == 302
    progress = client.get(f"/imports/{job.pk}/progress/").json()
    assert progress["status"] == "uploaded" and progress["running"] is False


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_the_reason(cast):  # type: ignore[no-untyped-def]
    response = api(cast.alice).post(
        "/api/v1/imports/",
        {"kind": "customers", "file": SimpleUploadedFile("macro.xlsm", b"PK\x03\x04", "x")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "macro" in response.json()["detail"].lower()
    assert not ImportJob.objects.exists()
