"""The handover wizard (离职交接) of the manager console: draft a plan for a rep's customers,
choose per customer, check, execute all or nothing, or cancel. Same people as the console:
managers (their team trees), directors and admins; reps get 404. Every step is one service of
guishu.ownership.handover.
"""

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guishu.accounts.models import User
from guishu.ownership.handover import (
    HandoverRefused,
    handover_cancel,
    handover_check,
    handover_draft,
    handover_execute,
    handover_item_set,
    handovers_visible_to,
)
from guishu.ownership.handover_check import HandoverCheck
from guishu.ownership.models import HandoverItem, HandoverPlan
from guishu.web.forms_work import ItemForm, PlanForm
from guishu.web.trace import translate_trace
from guishu.web.views_manager import PAGE_SIZE, manager, receiver_of, receivers_for, team_people


def _plan(user: User, plan_id: int) -> HandoverPlan:
    plan = handovers_visible_to(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("No such handover."))
    return plan


def _say(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, HandoverRefused):
        messages.error(request, error.message)
    elif isinstance(error, ValidationError):
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.error(request, str(error))


@require_http_methods(["GET", "POST"])
def handover_list(request: HttpRequest) -> HttpResponse:
    """Step 1: the plans so far, and a new draft: who hands over, from when, to whom."""
    user = manager(request)
    if request.method == "POST":
        form = PlanForm(request.POST)
        rep = (
            team_people(user).filter(pk=form.cleaned_data["rep"]).first()
            if form.is_valid()
            else None
        )
        to_id = form.cleaned_data.get("to") if rep is not None else None
        to = receiver_of(user, to_id)
        if rep is None:
            messages.error(request, _("Choose the rep who hands over and the day it takes effect."))
        elif to_id is not None and to is None:
            messages.error(request, _("Choose a rep of your teams to receive the customer."))
        else:
            try:
                plan = handover_draft(
                    user=user,
                    rep=rep,
                    effective_on=form.cleaned_data["effective_on"],
                    reason=form.cleaned_data["reason"],
                    to=to,
                )
            except (HandoverRefused, ValidationError, PermissionDenied) as error:
                _say(request, error)
            else:
                return redirect("manager-handover", plan_id=plan.pk)
    plans = handovers_visible_to(user).order_by("-created_at", "-pk")[:PAGE_SIZE]
    people = [p for p in team_people(user) if p.pk != user.pk]
    context = {
        "plans": plans,
        "people": people,
        "receivers": [p for p in people if p.is_active],
        "today": timezone.localdate(),
    }
    return render(request, "guishu/manager/handovers.html", context)


def _plan_page(request: HttpRequest, user: User, plan: HandoverPlan, **extra: Any) -> HttpResponse:
    items = list(plan.items.select_related("customer", "to").order_by("customer__name", "pk"))
    context = {
        "plan": plan,
        "items": items,
        "choices": HandoverItem.Choice.choices,
        "receivers": [p for p in receivers_for(user) if p.pk != plan.rep_id],
        "draft": plan.status == HandoverPlan.Status.DRAFT,
        "notes": [translate_trace(line) for line in plan.summary.get("notes", [])],
        **extra,
    }
    return render(request, "guishu/manager/handover.html", context)


@require_safe
def handover_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Steps 2 to 4: each customer's choice, the check, and the execution."""
    user = manager(request)
    return _plan_page(request, user, _plan(user, plan_id))


@require_POST
def handover_item_page(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    """Sets one customer's choice; htmx gets the row back, in place."""
    user = manager(request)
    plan = _plan(user, plan_id)
    item = plan.items.filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No such customer in this handover."))
    form = ItemForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose what happens to the customer.")
    else:
        data = form.cleaned_data
        pooled = data["choice"] == HandoverItem.Choice.POOL
        keeps = data["choice"] == HandoverItem.Choice.KEEP_AS_COLLABORATOR
        until = data.get("collaborate_until")
        tz = ZoneInfo(settings.TIME_ZONE)
        try:
            item = handover_item_set(
                user=user,
                plan_id=plan.pk,
                item_id=item.pk,
                choice=data["choice"],
                to=None if pooled else receiver_of(user, data.get("to")),
                collaborate_until=datetime.combine(until, time.min, tzinfo=tz)
                if keeps and until
                else None,
            )
        except (HandoverRefused, ValidationError) as problem:
            error = (
                problem.message
                if isinstance(problem, HandoverRefused)
                else "; ".join(problem.messages)
            )
    item = HandoverItem.objects.select_related("customer", "to").get(pk=item.pk)
    if request.htmx:  # type: ignore[attr-defined]
        context = {
            "plan": plan,
            "item": item,
            "error": error,
            "saved": not error,
            "choices": HandoverItem.Choice.choices,
            "receivers": [p for p in receivers_for(user) if p.pk != plan.rep_id],
            "draft": True,
        }
        return render(request, "guishu/manager/_handover_item.html", context)
    if error:
        messages.error(request, error)
    return redirect("manager-handover", plan_id=plan.pk)


@require_POST
def handover_check_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Step 3: the receivers' loads and every refusal, all together; writes nothing."""
    user = manager(request)
    plan = _plan(user, plan_id)
    try:
        check = handover_check(user=user, plan_id=plan.pk)
    except HandoverRefused as refused:
        messages.error(request, refused.message)
        return redirect("manager-handover", plan_id=plan.pk)
    context = {"check": _check_context(check)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "guishu/manager/_handover_check.html", context)
    return _plan_page(request, user, plan, **context)


def _check_context(check: HandoverCheck) -> dict[str, Any]:
    return {
        "ok": check.ok,
        "effective": check.effective,
        "executable_from": check.executable_from,
        "receivers": [
            {"load": load, "trace": [translate_trace(line) for line in load.trace()]}
            for load in check.receivers
        ],
        "refusals": [
            {
                "refusal": refusal,
                "trace": [translate_trace(line) for line in refusal.trace],
            }
            for refusal in check.refusals
        ],
    }


@require_POST
def handover_execute_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Step 4: all or nothing. The page shows progress while it runs (htmx), then what was
    done, or why nothing was."""
    user = manager(request)
    plan = _plan(user, plan_id)
    try:
        outcome = handover_execute(user=user, plan_id=plan.pk)
    except HandoverRefused as refused:
        messages.error(request, refused.message)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "guishu/manager/_handover_done.html", {"error": refused.message})
        return redirect("manager-handover", plan_id=plan.pk)
    if outcome.check is not None:
        context = {"check": _check_context(outcome.check), "refused": True}
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "guishu/manager/_handover_check.html", context)
        return _plan_page(request, user, plan, **context)
    plan = _plan(user, plan_id)
    if outcome.executed:
        messages.success(request, _("The handover is done: every customer changed hands."))
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("manager-handover", kwargs={"plan_id": plan.pk})
        return response
    return redirect("manager-handover", plan_id=plan.pk)


@require_POST
def handover_cancel_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = manager(request)
    plan = _plan(user, plan_id)
    try:
        handover_cancel(user=user, plan_id=plan.pk)
    except HandoverRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The handover is cancelled."))
    return redirect("manager-handover", plan_id=plan.pk)
