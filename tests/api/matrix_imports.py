"""Permission-matrix rows for imports: a job is its uploader's; everyone else gets 404.
Alice uploads a small customer list; anyone signed in may upload their own."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from guishu.imports.models import ImportJob
from guishu.imports.services import import_upload
from tests.api.conftest import World
from tests.api.matrix import Row, expect

CSV = "客户名称,电话,城市\nNordwind Pumpen GmbH,+49 711 5550 1234,Stuttgart\n".encode()


def alices_job(world: World, person: str) -> dict[str, Any]:
    """Alice's upload (one per world), whoever asks."""
    alice = world.people["alice"]
    job = ImportJob.objects.filter(uploaded_by=alice, file_name="matrix.csv").first()
    if job is None:
        job = import_upload(user=alice, kind="customers", filename="matrix.csv", data=CSV)  # type: ignore[arg-type]
    return {"job_id": job.pk}


def a_file(world: World, person: str) -> dict[str, Any]:
    return {"kind": "customers", "file": SimpleUploadedFile("list.csv", CSV, "text/csv")}


ONLY_ALICE = expect(404, alice=200)

ROWS = [
    Row("api-imports", "get", expect(200)),
    Row("api-imports", "post", expect(201), data=a_file, format="multipart"),
    Row("api-import", "get", ONLY_ALICE, kwargs=alices_job),
    Row(
        "api-import",
        "patch",
        ONLY_ALICE,
        kwargs=alices_job,
        data=lambda world, person: {"mapping": {"城市": "city"}},
    ),
    Row("api-import-preview", "post", expect(404, alice=202), kwargs=alices_job),
    Row("api-import-commit", "post", expect(404, alice=202), kwargs=alices_job),
]
