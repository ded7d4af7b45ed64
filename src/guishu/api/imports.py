"""Imports: upload a spreadsheet of customers, contacts or activities, adjust the column
mapping, preview what it would do, and import it. Each endpoint calls one service of
guishu.imports.services; previews and imports run in the worker (202), and the job shows
their progress and findings.

A job is its uploader's: anyone else gets 404, exactly like a job that does not exist. Who
may use which ownership rule is the services' answer (403 with the reason): reps register
what they import; managers, directors and admins may assign by an owner column or send the
customers to a pool.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api import idempotency
from guishu.api.common import StrictSerializer, viewer
from guishu.api.errors import Problem
from guishu.imports.background import COMMIT, PREVIEW, import_run_enqueue, waiting_for_worker
from guishu.imports.models import ImportJob, Kind
from guishu.imports.services import (
    import_mapping_of,
    import_mapping_set,
    import_upload,
    job_of,
    rule_check,
)
from guishu.tabular.headers import fields_for

# --- input ----------------------------------------------------------------------------------


class UploadSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(Kind.choices, help_text="What the file holds.")
    file = serializers.FileField(help_text="A .xlsx, .xls or .csv file with a header row.")


class MappingSerializer(StrictSerializer):
    mapping = serializers.DictField(
        child=serializers.CharField(allow_null=True, allow_blank=True),
        help_text="{header: field}; null or empty ignores the column.",
    )


class RunSerializer(StrictSerializer):
    owner_rule = serializers.ChoiceField(
        ImportJob.OwnerRule.choices,
        required=False,
        help_text="Customers only: importer (the default for reps), owner_column or pool.",
    )
    pool = serializers.IntegerField(min_value=1, required=False)


class CommitSerializer(RunSerializer):
    mode = serializers.ChoiceField(ImportJob.Mode.choices, default=ImportJob.Mode.ALL_OR_NOTHING)


# --- output ---------------------------------------------------------------------------------


class ColumnSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    header = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    origin = serializers.CharField(help_text="saved, user, auto, unknown or duplicate")


class JobSerializer(serializers.ModelSerializer[ImportJob]):
    progress = serializers.SerializerMethodField()
    waiting_for_worker = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "file_name",
            "file_size",
            "status",
            "mode",
            "owner_rule",
            "pool",
            "progress",
            "waiting_for_worker",
            "counts",
            "error",
            "created_at",
            "previewed_at",
            "started_at",
            "finished_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "phase": {"type": "string"},
                "done": {"type": "integer"},
                "total": {"type": "integer"},
            },
        }
    )
    def get_progress(self, job: ImportJob) -> dict[str, Any]:
        return {"phase": job.phase, "done": job.progress_done, "total": job.progress_total}

    def get_waiting_for_worker(self, job: ImportJob) -> bool:
        return waiting_for_worker(job)


class JobDetailSerializer(JobSerializer):
    columns = serializers.SerializerMethodField()
    fields_available = serializers.SerializerMethodField()
    problems = serializers.JSONField(read_only=True)
    samples = serializers.JSONField(read_only=True)
    same_file_as = serializers.IntegerField(
        source="same_file_as_id", read_only=True, allow_null=True
    )

    class Meta(JobSerializer.Meta):
        fields = [
            *JobSerializer.Meta.fields,
            "same_file_as",
            "columns",
            "fields_available",
            "problems",
            "samples",
        ]

    @extend_schema_field(ColumnSerializer(many=True))
    def get_columns(self, job: ImportJob) -> list[dict[str, Any]]:
        mapping = import_mapping_of(job)
        return [
            {"index": index, "header": header, "field": name, "origin": origin}
            for index, (header, name, origin) in enumerate(
                zip(mapping.headers, mapping.fields, mapping.origins, strict=True)
            )
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "label": {"type": "string"}},
            },
        }
    )
    def get_fields_available(self, job: ImportJob) -> list[dict[str, str]]:
        return [
            {"name": name, "label": str(field.label)}
            for name, field in fields_for(job.kind).items()
        ]


# --- endpoints ------------------------------------------------------------------------------


def refused(error: ValidationError) -> Problem:
    """A file or a choice the import cannot take: 400 with the reasons."""
    messages = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    detail = "; ".join(message for problems in messages.values() for message in problems)
    return Problem(
        status_code=status.HTTP_400_BAD_REQUEST,
        code=str(getattr(error, "code", None) or "import_refused"),
        title=_("The import cannot take this."),
        detail=detail,
        errors=messages,
    )


def _detail(request: Request, job_id: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(JobDetailSerializer(job_of(viewer(request), job_id)).data, status=code)


class ImportList(generics.ListAPIView[ImportJob]):
    """Your imports, newest first. POST (multipart) uploads a file: the header row is read
    and a column mapping proposed (the company's last one for these headers, else
    recognised from English and Chinese headers). Nothing is imported yet."""

    serializer_class = JobSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ImportJob]:
        return ImportJob.objects.filter(uploaded_by=viewer(self.request)).order_by(
            "-created_at", "-pk"
        )

    @extend_schema(
        request={"multipart/form-data": UploadSerializer}, responses={201: JobDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        incoming = UploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        try:
            job = import_upload(
                user=viewer(request),
                kind=incoming.validated_data["kind"],
                filename=upload.name or "upload",
                data=upload.read(),
            )
        except ValidationError as error:
            raise refused(error) from None
        return _detail(request, job.pk, status.HTTP_201_CREATED)


class ImportDetail(APIView):
    """One import: its columns and the field each fills, its progress, and what the preview
    or the import found (counts by outcome, the rows that cannot be imported with the cell
    and the reason, and sample rows, masked as you may see them). PATCH adjusts the mapping,
    which the company's next file with these headers gets too."""

    @extend_schema(responses=JobDetailSerializer)
    def get(self, request: Request, job_id: int) -> Response:
        return _detail(request, job_id)

    @extend_schema(request=MappingSerializer, responses=JobDetailSerializer)
    def patch(self, request: Request, job_id: int) -> Response:
        job_of(viewer(request), job_id)
        incoming = MappingSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        mapping = {h: (f or None) for h, f in incoming.validated_data["mapping"].items()}
        try:
            import_mapping_set(user=viewer(request), job_id=job_id, mapping=mapping)
        except ValidationError as error:
            raise refused(error) from None
        return _detail(request, job_id)


def _run(request: Request, job_id: int, action: str, incoming: RunSerializer) -> Response:
    user = viewer(request)
    job = job_of(user, job_id)
    incoming.is_valid(raise_exception=True)
    data = incoming.validated_data
    rule = data.get("owner_rule") or job.owner_rule
    try:
        rule_check(user, job, rule, data.get("pool"))
    except ValidationError as error:
        raise refused(error) from None
    if job.status in (ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING):
        raise Problem(
            status_code=status.HTTP_409_CONFLICT,
            code="import_running",
            title=_("This import is being previewed or imported right now."),
        )
    import_run_enqueue(
        job,
        user,
        action=action,
        mode=data.get("mode", ImportJob.Mode.ALL_OR_NOTHING),
        owner_rule=rule,
        pool_id=data.get("pool"),
    )
    return _detail(request, job_id, status.HTTP_202_ACCEPTED)


class ImportPreview(APIView):
    """Judge every row, writing nothing: new, duplicate inside the file, collision with
    another rep's customer, match in the pool, already yours, or invalid (cell and reason).
    Runs in the worker: 202, then follow the job's progress."""

    @extend_schema(request=RunSerializer, responses={202: JobDetailSerializer})
    def post(self, request: Request, job_id: int) -> Response:
        return _run(request, job_id, PREVIEW, RunSerializer(data=request.data))


class ImportCommit(APIView):
    """Import the rows: all or nothing (the default), or skipping invalid rows. Collisions
    become collision records, never merges or second owners; importing the same rows again
    adds nothing. Runs in the worker: 202, then follow the job. Honours `Idempotency-Key`."""

    @extend_schema(
        request=CommitSerializer,
        responses={202: JobDetailSerializer},
        parameters=[idempotency.PARAMETER],
    )
    def post(self, request: Request, job_id: int) -> Response:
        return idempotency.idempotent(
            f"import-commit:{job_id}",
            request,
            lambda: _run(request, job_id, COMMIT, CommitSerializer(data=request.data)),
        )
