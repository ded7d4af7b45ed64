"""The operations pages, for administrators: health and counts (/ops/), and privacy
requests (/ops/privacy/). Anyone else gets 404, as if the pages did not exist."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guishu.accounts.models import User
from guishu.ops.report import health_report
from guishu.privacy.downloads import FORMATS, export_response
from guishu.privacy.models import PrivacyRequest
from guishu.privacy.services import (
    may_handle_privacy,
    privacy_erase,
    privacy_export,
    privacy_request_open,
    privacy_requests_for,
)
from guishu.web.people import signed_in

CHECK_WORDS = {
    "database": gettext_lazy("database"),
    "migrations": gettext_lazy("migrations"),
    "worker": gettext_lazy("task worker"),
}


def _admin(request: HttpRequest) -> User:
    user = signed_in(request)
    if not may_handle_privacy(user):
        raise Http404
    return user


def _say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_safe
def ops_index(request: HttpRequest) -> HttpResponse:
    """Readiness, the workers' heartbeats, and the last day's slow requests and failures."""
    _admin(request)
    report = health_report()
    checks = [
        {
            "name": CHECK_WORDS.get(name, name),
            "answer": answer,
            "ok": answer in ("ok", "not_checked"),
        }
        for name, answer in report["checks"].items()
    ]
    return render(request, "guishu/ops/index.html", {"report": report, "checks": checks})


@require_http_methods(["GET", "POST"])
def privacy_list(request: HttpRequest) -> HttpResponse:
    """GET: the requests, open ones first by due date. POST: open one for a contact."""
    user = _admin(request)
    if request.method == "POST":
        contact = request.POST.get("contact", "")
        received = parse_datetime(request.POST.get("received_at", "") or "")
        try:
            if not (contact.isascii() and contact.isdigit()):
                raise ValidationError(_("Give the contact's number (id)."))
            opened = privacy_request_open(
                user=user,
                contact_id=int(contact),
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", "")[:2000],
                received_at=received,
            )
        except ValidationError as error:
            _say(request, error)
        else:
            return redirect("ops-privacy-detail", request_id=opened.pk)
    context = {"requests": privacy_requests_for(user), "kinds": PrivacyRequest.Kind.choices}
    return render(request, "guishu/ops/privacy_list.html", context)


def _request(request_id: int) -> PrivacyRequest:
    found = PrivacyRequest.objects.select_related("opened_by", "handled_by").filter(pk=request_id)
    if not found.exists():
        raise Http404
    return found.get()


@require_safe
def privacy_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    _admin(request)
    privacy = _request(request_id)
    erased = privacy.kind == PrivacyRequest.Kind.ERASE and privacy.status != "open"
    context = {
        "privacy": privacy,
        "formats": FORMATS,
        "can_export": privacy.contact_id is not None and not erased,
        "can_erase": privacy.kind == PrivacyRequest.Kind.ERASE and privacy.status == "open",
    }
    return render(request, "guishu/ops/privacy_detail.html", context)


@require_POST
def privacy_export_page(request: HttpRequest, request_id: int) -> HttpResponse:
    """Downloads everything held about the contact, as JSON or CSV."""
    user = _admin(request)
    _request(request_id)
    file_format = request.POST.get("format", "json")
    if file_format not in FORMATS:
        raise Http404
    try:
        export = privacy_export(user=user, request_id=request_id)
    except ValidationError as error:
        _say(request, error)
        return redirect("ops-privacy-detail", request_id=request_id)
    return export_response(export, file_format)


@require_POST
def privacy_erase_page(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _admin(request)
    _request(request_id)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the box to confirm the erasure: it cannot be undone."))
        return redirect("ops-privacy-detail", request_id=request_id)
    try:
        privacy_erase(user=user, request_id=request_id)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The contact has been erased."))
    return redirect("ops-privacy-detail", request_id=request_id)
