"""The import pages: upload a spreadsheet, check the column mapping, preview, import, and
watch the progress. Each view calls one service of guishu.imports; previews and imports run
in the worker, and the job page polls their progress.

A job is its uploader's: anyone else gets 404, exactly like a job that does not exist.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guishu.imports.background import COMMIT, PREVIEW, import_run_enqueue, waiting_for_worker
from guishu.imports.models import ImportJob, Kind
from guishu.imports.services import (
    import_jobs_of,
    import_mapping_of,
    import_mapping_set,
    import_upload,
    job_of,
    may_use_rule,
    rule_check,
)
from guishu.pools.models import Pool
from guishu.tabular.headers import fields_for
from guishu.web.people import signed_in

RUNNING = (ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING)
# The job's counts, in the order and words the page shows them.
COUNT_LABELS = {
    "rows": gettext_lazy("rows read"),
    "new": gettext_lazy("new"),
    "duplicate_in_file": gettext_lazy("duplicates inside the file"),
    "collision": gettext_lazy("collisions with other reps' customers"),
    "pool_match": gettext_lazy("matches in the pool"),
    "already_yours": gettext_lazy("already yours"),
    "possible_match": gettext_lazy("possible duplicates to check"),
    "owned": gettext_lazy("owned by someone else"),
    "refused": gettext_lazy("refused"),
    "invalid": gettext_lazy("invalid"),
    "imported": gettext_lazy("imported"),
    "skipped": gettext_lazy("skipped"),
}


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    try:
        return job_of(signed_in(request), job_id)
    except ImportJob.DoesNotExist:
        raise Http404 from None


def _say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and your recent imports. POST: upload a file."""
    user = signed_in(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        if upload is None:
            messages.error(request, _("Choose a file to upload."))
        else:
            try:
                job = import_upload(
                    user=user, kind=kind, filename=upload.name or "upload", data=upload.read()
                )
            except ValidationError as error:
                _say(request, error)
            else:
                return redirect("import-detail", job_id=job.pk)
    context = {"jobs": import_jobs_of(user), "kinds": Kind.choices}
    return render(request, "guishu/imports/list.html", context)


def _columns(job: ImportJob) -> list[dict[str, Any]]:
    mapping = import_mapping_of(job)
    return [
        {"index": index, "header": header, "field": name, "origin": origin}
        for index, (header, name, origin) in enumerate(
            zip(mapping.headers, mapping.fields, mapping.origins, strict=True)
        )
    ]


@require_safe
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The mapping, what the preview or the import found, and the forms to go on."""
    user = signed_in(request)
    job = _job(request, job_id)
    rules = [
        (value, label) for value, label in ImportJob.OwnerRule.choices if may_use_rule(user, value)
    ]
    context = {
        "job": job,
        "columns": _columns(job),
        "fields": [(name, field.label) for name, field in fields_for(job.kind).items()],
        "running": job.status in RUNNING,
        "waiting": waiting_for_worker(job),
        "rules": rules,
        "modes": ImportJob.Mode.choices,
        "pools": Pool.objects.filter(active=True).order_by("name"),
        "counts": [(COUNT_LABELS.get(name, name), job.counts[name]) for name in _in_order(job)],
        "customers": job.kind == Kind.CUSTOMERS,
    }
    return render(request, "guishu/imports/detail.html", context)


def _in_order(job: ImportJob) -> list[str]:
    order = list(COUNT_LABELS)
    return sorted(job.counts, key=lambda name: order.index(name) if name in order else len(order))


@require_POST
def import_mapping(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    chosen = {
        column["header"]: (request.POST.get(f"column-{column['index']}") or None)
        for column in _columns(job)
    }
    try:
        import_mapping_set(user=signed_in(request), job_id=job.pk, mapping=chosen)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("The mapping is saved; the company's next file gets it too."))
    return redirect("import-detail", job_id=job.pk)


def _run(request: HttpRequest, job_id: int, action: str) -> HttpResponse:
    user = signed_in(request)
    job = _job(request, job_id)
    rule = request.POST.get("owner_rule") or job.owner_rule
    pool_text = request.POST.get("pool", "")
    pool_id = int(pool_text) if pool_text.isdigit() else None
    mode = request.POST.get("mode", ImportJob.Mode.ALL_OR_NOTHING)
    try:
        if mode not in ImportJob.Mode.values:
            raise ValidationError(_("Choose all or nothing, or skip invalid rows."))
        rule_check(user, job, rule, pool_id)
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, ValidationError):
            _say(request, error)
        else:
            messages.error(request, str(error))
        return redirect("import-detail", job_id=job.pk)
    if job.status in RUNNING:
        messages.error(request, _("This import is being previewed or imported right now."))
    else:
        import_run_enqueue(job, user, action=action, mode=mode, owner_rule=rule, pool_id=pool_id)
    return redirect("import-detail", job_id=job.pk)


@require_POST
def import_preview_page(request: HttpRequest, job_id: int) -> HttpResponse:
    return _run(request, job_id, PREVIEW)


@require_POST
def import_commit_page(request: HttpRequest, job_id: int) -> HttpResponse:
    return _run(request, job_id, COMMIT)


@require_safe
def import_progress(request: HttpRequest, job_id: int) -> JsonResponse:
    """What the job page polls while a run is waiting or going on."""
    job = _job(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "phase": job.phase,
            "done": job.progress_done,
            "total": job.progress_total,
            "waiting": waiting_for_worker(job),
            "running": job.status in RUNNING,
        }
    )
