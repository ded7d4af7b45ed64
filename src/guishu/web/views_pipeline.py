"""The opportunity pages (guishu.pipeline, docs/pipeline.md): the viewer's pipeline with its
totals per stage, one opportunity with its path through the stages (what each requires and
what the customer's records still lack), its history, and forms to move or close it; opening
one from the customer page.

Reads go through `opportunities_visible_to` (a rep's own, a manager's team trees', everyone's
for directors and admins): anything else answers 404 as if it did not exist. The services
decide again whether the viewer may move it and whether the stage's required actions exist.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guishu.accounts.models import User
from guishu.activities.models import Activity
from guishu.customers.models import Customer
from guishu.disputes.collaboration import collaborations_on
from guishu.pipeline.models import Opportunity, Stage
from guishu.pipeline.selectors import (
    activity_kinds_of,
    open_totals,
    opportunities_visible_to,
    stage_path,
)
from guishu.pipeline.services import (
    PipelineRefused,
    may_work_opportunity,
    opportunity_advance,
    opportunity_close,
    opportunity_open,
    stages_ensure_default,
)
from guishu.web.forms_pipeline import AdvanceForm, CloseForm, OpportunityForm
from guishu.web.people import signed_in
from guishu.web.views_customer import customer_visible

PAGE_SIZE = 50
STATUSES = ("open", "won", "lost", "all")


def kind_labels(kinds: list[str]) -> list[str]:
    labels = dict(Activity.Kind.choices)
    return [str(labels.get(kind, kind)) for kind in kinds]


def _labelled(kinds: list[str]) -> list[tuple[str, str]]:
    return list(zip(kinds, kind_labels(kinds), strict=True))


def refusal_text(refused: PipelineRefused) -> str:
    if refused.missing:
        return _("%(reason)s Missing: %(actions)s.") % {
            "reason": refused.message,
            "actions": ", ".join(kind_labels(refused.missing)),
        }
    return refused.message


def _filtered(request: HttpRequest, user: User) -> tuple[QuerySet[Opportunity], dict[str, str]]:
    params = request.GET
    filters = {
        "status": params.get("status", "open") if params.get("status") in STATUSES else "open",
        "stage": params.get("stage", ""),
        "owner": params.get("owner", ""),
        "q": params.get("q", "").strip()[:100],
    }
    rows = opportunities_visible_to(user)
    if filters["status"] != "all":
        rows = rows.filter(status=filters["status"])
    if filters["stage"].isdigit():
        rows = rows.filter(stage_id=int(filters["stage"]))
    if filters["owner"].isdigit():
        rows = rows.filter(owner_id=int(filters["owner"]))
    if query := filters["q"]:
        rows = rows.filter(Q(title__icontains=query) | Q(customer__name__icontains=query))
    return rows, filters


@require_safe
def pipeline_list(request: HttpRequest) -> HttpResponse:
    """The opportunities the viewer sees, filtered, with the open ones' totals per stage."""
    user = signed_in(request)
    rows, filters = _filtered(request, user)
    page = Paginator(rows.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    visible = opportunities_visible_to(user)
    owners = (
        User.objects.filter(pk__in=visible.values("owner_id"))
        .order_by("display_name", "username")
        .only("pk", "display_name", "username")
    )
    context = {
        "page": page,
        "filters": filters,
        "totals": open_totals(rows),
        "stages": stages_ensure_default(),
        "owners": owners if user.role != "rep" else [],
        "statuses": [
            ("open", _("Open")),
            ("won", _("Won")),
            ("lost", _("Lost")),
            ("all", _("All")),
        ],
        "query_string": query.urlencode(),
        "now": timezone.now(),
    }
    return render(request, "guishu/pipeline/list.html", context)


def _visible(request: HttpRequest, opportunity_id: int) -> tuple[User, Opportunity]:
    user = signed_in(request)
    opportunity = opportunities_visible_to(user).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise Http404(_("No such opportunity."))
    return user, opportunity


def _detail_context(
    user: User,
    opportunity: Opportunity,
    advance: AdvanceForm | None = None,
    close: CloseForm | None = None,
) -> dict[str, Any]:
    done = activity_kinds_of(opportunity.customer_id)
    path = stage_path(opportunity, stages_ensure_default(), done)
    history = opportunity.changes.select_related("from_stage", "to_stage", "by").order_by(
        "at", "pk"
    )
    workable = may_work_opportunity(user, opportunity.owner_id)
    return {
        "opportunity": opportunity,
        "path": [
            (step, [(label, kind not in step.missing) for kind, label in _labelled(step.required)])
            for step in path
        ],
        "history": history,
        "may_work": workable and opportunity.status == Opportunity.Status.OPEN,
        "advance_form": advance or AdvanceForm(),
        "close_form": close or CloseForm(),
    }


@require_safe
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    user, opportunity = _visible(request, opportunity_id)
    return render(request, "guishu/pipeline/detail.html", _detail_context(user, opportunity))


@require_POST
def opportunity_advance_page(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Moves the opportunity (the service checks the required actions and who may)."""
    user, opportunity = _visible(request, opportunity_id)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        context = _detail_context(user, opportunity, advance=form)
        return render(request, "guishu/pipeline/detail.html", context, status=400)
    stage: Stage = form.cleaned_data["stage"]
    try:
        opportunity_advance(user=user, opportunity_id=opportunity.pk, stage=stage)
    except PipelineRefused as refused:
        messages.error(request, refusal_text(refused))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        name = stage.name_in(request.LANGUAGE_CODE)
        messages.success(request, _("Moved to %(stage)s.") % {"stage": name})
    return redirect("opportunity-detail", opportunity_id=opportunity.pk)


@require_POST
def opportunity_close_page(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    user, opportunity = _visible(request, opportunity_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        context = _detail_context(user, opportunity, close=form)
        return render(request, "guishu/pipeline/detail.html", context, status=400)
    won = form.cleaned_data["outcome"] == "won"
    try:
        opportunity_close(
            user=user, opportunity_id=opportunity.pk, won=won, reason=form.cleaned_data["reason"]
        )
    except PipelineRefused as refused:
        messages.error(request, refusal_text(refused))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, _("Closed as won.") if won else _("Closed as lost."))
    return redirect("opportunity-detail", opportunity_id=opportunity.pk)


def opportunity_owner_for(user: User, customer: Customer) -> User | None:
    """Whom an opportunity the viewer opens on this customer belongs to: the viewer when they
    own the customer or collaborate on it; the customer's owner when the viewer oversees them;
    nobody for a pooled customer (claim it first) or one the viewer only looks at."""
    owner_id = getattr(customer, "owner_id", None)
    if owner_id is None:
        return None
    if owner_id == user.pk:
        return user
    if collaborations_on(customer).filter(user=user, ended_at__isnull=True).exists():
        return user
    if may_work_opportunity(user, owner_id):
        return User.objects.get(pk=owner_id)
    return None


@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Opens an opportunity with a customer the viewer sees in full and may sell to."""
    user, customer = customer_visible(request, customer_id)
    owner = opportunity_owner_for(user, customer)
    form = OpportunityForm(request.POST or None)
    refusal = ""
    if owner is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opportunity = opportunity_open(
                user=user,
                customer=customer,
                title=data["title"],
                amount=data["amount"],
                currency=data["currency"],
                stage=data["stage"],
                owner=owner,
            )
        except PipelineRefused as refused:
            refusal = refusal_text(refused)
        else:
            messages.success(request, _("Opened %(title)s.") % {"title": opportunity.title})
            return redirect("opportunity-detail", opportunity_id=opportunity.pk)
    context = {"customer": customer, "owner": owner, "form": form, "refusal": refusal}
    status = 200 if request.method == "GET" else 403 if owner is None else 400
    return render(request, "guishu/pipeline/new.html", context, status=status)
