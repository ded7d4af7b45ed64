"""The job around an import: the mapping a company keeps, the limits, the command with its
progress bar, and the worker task."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from guishu.customers.models import Customer
from guishu.imports import source
from guishu.imports.background import COMMIT, import_run_enqueue
from guishu.imports.models import ImportJob, ImportMapping
from guishu.imports.services import (
    import_mapping_of,
    import_mapping_set,
    import_upload,
)
from guishu.imports.tasks import import_commit_task
from guishu.tabular import Limits
from tests.imports.conftest import HEADER, csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.db_facing

ODD = [["Firma", "Tel.", "Bemerkung"], ["Müller Maschinenbau GmbH", "+49 89 1234 5678", "Messe"]]


def test_a_mapping_the_user_adjusts_is_proposed_for_the_next_file(cast):
    job = upload(cast.bob, ODD)
    assert import_mapping_of(job).missing == (("name",),)

    import_mapping_set(
        user=cast.bob, job_id=job.pk, mapping={"Firma": "name", "Tel.": "phones", "Bemerkung": None}
    )
    assert ImportMapping.objects.get(kind="customers").mapping["Firma"] == "name"
    adjusted = import_mapping_of(ImportJob.objects.get(pk=job.pk))
    assert adjusted.fields == ("name", "phones", None)
    assert adjusted.origins == ("user", "auto", "unknown")

    later = upload(cast.alice, ODD)  # anyone of the company, another day
    mapping = import_mapping_of(later)
    assert mapping.fields == ("name", "phones", None)
    assert mapping.origins == ("saved", "saved", "saved")


def test_a_mapping_naming_no_field_or_leaving_out_the_name_is_refused(cast):
    job = upload(cast.bob, ODD)
    with pytest.raises(ValidationError):
        import_mapping_set(user=cast.bob, job_id=job.pk, mapping={"Firma": "shoe size"})
    with pytest.raises(ValidationError):
        import_mapping_set(user=cast.bob, job_id=job.pk, mapping={"Tel.": "phones"})


def test_someone_elses_job_does_not_exist_for_you(cast):
    job = upload(cast.bob, [HEADER, ["Alpha Trading Co", "", "", "", ""]])
    with pytest.raises(ImportJob.DoesNotExist):
        import_mapping_set(user=cast.alice, job_id=job.pk, mapping={})


def test_the_limits_are_refused_with_a_clear_message(cast, monkeypatch):
    monkeypatch.setattr(source, "IMPORT_LIMITS", Limits(max_rows=2, max_bytes=10_000))
    rows = [HEADER] + [[f"Company {n}", "", "", "", ""] for n in range(3)]
    job = upload(cast.bob, rows)
    from guishu.imports.services import import_preview

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        import_preview(user=cast.bob, job_id=job.pk)
    assert "more than 2 data rows" in str(raised.value)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        import_upload(user=cast.bob, kind="customers", filename="big.csv", data=b"x" * 20_000)
    assert "larger than" in str(raised.value)
    with pytest.raises(ValidationError):
        import_upload(user=cast.bob, kind="customers", filename="list.pdf", data=b"%PDF-1.4")


def test_an_xlsx_file_is_read_like_a_csv(cast):
    data = xlsx_bytes([HEADER, ["Alpha Trading Co", 13800138000, "", "", "上海"]])
    job = import_upload(user=cast.bob, kind="customers", filename="list.xlsx", data=data)
    from guishu.imports.services import import_commit

    assert import_commit(user=cast.bob, job_id=job.pk).counts["imported"] == 1
    assert Customer.objects.get().identifiers.get().value == "13800138000"


def test_the_command_previews_with_a_progress_bar_then_imports(cast, tmp_path: Path):
    path = tmp_path / "bob.csv"
    path.write_bytes(csv_bytes([HEADER, ["Alpha Trading Co", "+86 21 5555 0101", "", "", ""]]))
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import", str(path), "--dry-run", "--as", "bob", stdout=out, stderr=err)
    assert "[" in err.getvalue() and "100%" in err.getvalue()
    assert "new: 1" in out.getvalue()
    assert not Customer.objects.exists()

    out = StringIO()
    with translation.override("en"):
        call_command("import", str(path), "--as", "bob", stdout=out, stderr=StringIO())
    assert "imported: 1" in out.getvalue()
    assert Customer.objects.get().name == "Alpha Trading Co"


def test_the_command_fails_when_all_or_nothing_meets_an_invalid_row(cast, tmp_path: Path):
    path = tmp_path / "bob.csv"
    path.write_bytes(
        csv_bytes([HEADER, ["", "+86 21 5555 0101", "", "", ""], ["Beta Co", "", "", "", ""]])
    )
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import", str(path), "--as", "bob", stdout=StringIO(), stderr=StringIO())
    assert not Customer.objects.exists()
    call_command(
        "import", str(path), "--as", "bob", "--skip-invalid", stdout=StringIO(), stderr=StringIO()
    )
    assert Customer.objects.get().name == "Beta Co"


def test_a_commit_can_be_left_to_the_worker(cast, django_capture_on_commit_callbacks):
    job = upload(cast.bob, [HEADER, ["Alpha Trading Co", "", "", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        import_run_enqueue(job, cast.bob, action=COMMIT, mode="skip_invalid")
    result = DBTaskResult.objects.get(task_path="guishu.imports.tasks.import_commit_task")
    assert ImportJob.objects.get(pk=job.pk).task_result_id == str(result.id)

    outcome = import_commit_task.call(job.pk, cast.bob.pk, "skip_invalid", "importer")
    assert outcome["counts"]["imported"] == 1
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == ("done", 1, 1)


def test_a_limit_broken_while_the_workers_run_stops_them(cast, monkeypatch):
    from guishu.imports import judge
    from guishu.imports.services import import_commit

    monkeypatch.setattr(source, "IMPORT_LIMITS", Limits(max_rows=4))
    monkeypatch.setattr(judge, "PARALLEL_FROM", 2)
    monkeypatch.setattr(judge.os, "cpu_count", lambda: 2)
    rows = [HEADER] + [[f"Company {n}", "", "", "", ""] for n in range(6)]
    job = upload(cast.bob, rows)  # the upload reads the header row only
    with pytest.raises(ValidationError):
        import_commit(user=cast.bob, job_id=job.pk)
    assert not Customer.objects.exists()
