"""Customer discipline pages: follow-ups due, a customer's classification, the portfolio by
engagement type, complaints, the weekly plan with plan vs actual, and time accounting.

Views parse the request, call one service or selector of guishu.discipline, and render. A rep
sees their own; a manager their team's; another rep's customer or complaint answers 404.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.discipline.cadence import CadenceRow, contact_dues, explained, too_many_to_judge
from guishu.discipline.models import (
    Classification,
    ClassificationChange,
    StrategyChoice,
    TimeEntry,
    WeeklyPlan,
)
from guishu.discipline.selectors import (
    UNCLASSIFIED,
    complaint_loyalty_for,
    complaints_visible_to,
    people_in_view,
    plan_of,
    plan_progress,
    portfolio_for,
    time_report,
)
from guishu.discipline.services import (
    ClassificationInput,
    ComplaintRefused,
    classifiable_customer,
    classification_set,
    complaint_open,
    complaint_resolve,
    plan_generate,
    time_entry_add,
)
from guishu.domain import Role
from guishu.domain.planning import week_start_of
from guishu.domain.time_use import TARGET_SELLING_PERCENT, TYPICAL_SELLING_PERCENT, Use
from guishu.web.charts import chart_spec
from guishu.web.people import signed_in
from guishu.web.trace import translate_trace

DUE_SOON_DAYS = 7
CADENCE_PAGE_SIZE = 50
STRATEGY_LABELS = {**dict(StrategyChoice.choices), UNCLASSIFIED: gettext_lazy("type not known yet")}
USE_LABELS = dict(TimeEntry.Use.choices)


def _say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _texts(lines: Any) -> list[str]:
    return [translate_trace(line) for line in lines]


def _person_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None


def _date_param(request: HttpRequest, name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


# Follow-ups due ----------------------------------------------------------------------------


def _cadence_row(row: CadenceRow) -> tuple[CadenceRow, list[str], str]:
    strategy = STRATEGY_LABELS[row.strategy.value] if row.strategy else ""
    return row, _texts(row.reason), str(strategy)


@require_safe
def cadence_page(request: HttpRequest) -> HttpResponse:
    """Customers overdue for contact (most overdue first, 50 a page) and the first of those
    due within a week, with their reasons: a rep's own, a manager's team's, or one person's
    of them (`?owner=`). Every customer is judged; only the rows shown are explained. Above
    `GUISHU_LIST_JUDGE_LIMIT` customers (a director's whole company) one person is chosen
    first."""
    user = signed_in(request)
    now = timezone.now()
    people = (
        people_in_view(user).order_by("display_name", "username") if user.role != Role.REP else None
    )
    owner_id = None
    if people is not None and (wanted := request.GET.get("owner", "")).isdigit():
        owner_id = int(wanted) if people.filter(pk=int(wanted)).exists() else None
    context: dict[str, Any] = {
        "tab": "cadence",
        "people": people,
        "owner_id": owner_id,
        "query": f"owner={owner_id}" if owner_id else "",
    }
    if owner_id is None and (count := too_many_to_judge(user)) is not None:
        context["too_many"] = count
        return render(request, "guishu/discipline/cadence.html", context)
    dues = contact_dues(user, now, owner_id=owner_id)
    soon = now + timedelta(days=DUE_SOON_DAYS)
    overdue = [due for due in dues if due.due_at <= now]
    due_soon = [due for due in dues if now < due.due_at <= soon]
    page = Paginator(overdue, CADENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {
        "page": page,
        "overdue": [_cadence_row(row) for row in explained(user, list(page), now)],
        "overdue_total": len(overdue),
        "due_soon": [
            _cadence_row(row) for row in explained(user, due_soon[:CADENCE_PAGE_SIZE], now)
        ],
        "due_soon_total": len(due_soon),
        "total": len(dues),
    }
    return render(request, "guishu/discipline/cadence.html", context)


# A customer's classification ---------------------------------------------------------------


def _decimal(value: str) -> Decimal | None:
    value = value.strip().replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(_("Give numbers as digits, e.g. 80000.")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        raise ValidationError(_("Give numbers as digits, e.g. 80000."))
    return number


def _classification_input(post: Any) -> ClassificationInput:
    employees = post.get("employees", "").strip()
    if employees and not (employees.isascii() and employees.isdigit() and len(employees) < 9):
        raise ValidationError(_("Give the number of employees as a whole number."))
    fields = ("potential_estimate", "monthly_volume", "our_share", "margin")
    values = {name: _decimal(post.get(name, "")) for name in fields}
    clear = tuple(name for name in (*fields, "employees") if not post.get(name, "").strip())
    potential = post.get("potential", "") or None
    return ClassificationInput(
        employees=int(employees) if employees else None,
        clear=clear,
        potential=potential,
        note=post.get("note", "")[:500],
        **values,
    )


@require_http_methods(["GET", "POST"])
def classification_page(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET: a customer's potential and engagement type with the reasons and the history.
    POST: set the inputs, or the potential by hand with a reason. Its owner, a manager over
    the owner, directors and admins; anyone else gets 404."""
    user = signed_in(request)
    try:
        customer = classifiable_customer(user, customer_id)
    except Customer.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        try:
            classification_set(
                user=user, customer_id=customer_id, data=_classification_input(request.POST)
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("Classification saved."))
        return redirect("discipline-customer", customer_id=customer_id)
    row = Classification.objects.filter(customer=customer).first()
    changes = ClassificationChange.objects.filter(customer=customer).select_related("by")
    return render(
        request,
        "guishu/discipline/classification.html",
        {
            "customer": customer,
            "row": row,
            "potential_reason": _texts(row.potential_reason) if row else [],
            "engagement_reason": _texts(row.engagement_reason) if row else [],
            "changes": [
                (change, _texts(change.reason)) for change in changes.order_by("-at", "-pk")[:20]
            ],
            "levels": Customer.LevelChoice.choices,
            "tab": "cadence",
        },
    )


# Portfolio -------------------------------------------------------------------------------


@require_safe
def portfolio_page(request: HttpRequest) -> HttpResponse:
    """The customers in view by engagement strategy and potential, and the time reps spent
    with each kind over the last 30 days (a manager sees the team)."""
    user = signed_in(request)
    days = 30
    portfolio = portfolio_for(user, days=days)
    keys = [*StrategyChoice.values, UNCLASSIFIED]
    labels = [STRATEGY_LABELS[key] for key in keys]
    pie = chart_spec(
        "pie",
        _("Customers by strategy"),
        labels,
        [(_("Customers"), [portfolio.by_strategy.get(key, 0) for key in keys])],
    )
    reps = [
        (pk, name) for pk, name in sorted(portfolio.people.items()) if portfolio.minutes.get(pk)
    ]
    hours = chart_spec(
        "stacked",
        _("Hours with customers by strategy, last %(days)d days") % {"days": days},
        [name for _pk, name in reps],
        [
            (str(label), [round(portfolio.minutes[pk].get(key, 0) / 60, 1) for pk, _n in reps])
            for key, label in zip(keys, labels, strict=True)
        ],
    )
    grid = [
        (
            level,
            [portfolio.grid[level].get(key, 0) if level in portfolio.grid else 0 for key in keys],
        )
        for level in ("A", "B", "C")
    ]
    return render(
        request,
        "guishu/discipline/portfolio.html",
        {
            "portfolio": portfolio,
            "labels": labels,
            "grid": grid,
            "totals": [portfolio.by_strategy.get(key, 0) for key in keys],
            "pie": pie,
            "hours": hours if reps else None,
            "days": days,
            "tab": "portfolio",
        },
    )


# Complaints ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_list(request: HttpRequest) -> HttpResponse:
    """GET: the complaints in view, open ones first, and the loyalty figures. POST: record a
    complaint on a customer (its owner or someone over them)."""
    user = signed_in(request)
    if request.method == "POST":
        customer_id = _person_param_post(request, "customer")
        received = parse_datetime(request.POST.get("received_at", "") or "") or None
        if received is not None and timezone.is_naive(received):
            received = timezone.make_aware(received)
        try:
            if customer_id is None:
                raise ValidationError(_("Choose the customer."))
            complaint = complaint_open(
                user=user,
                customer_id=customer_id,
                summary=request.POST.get("summary", "")[:500],
                received_at=received,
            )
        except Customer.DoesNotExist:
            messages.error(request, _("Choose one of your customers."))
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("Complaint recorded."))
            return redirect("complaint-detail", complaint_id=complaint.pk)
    rows = complaints_visible_to(user).order_by("status", "deadline", "pk")
    now = timezone.now()
    loyalty = complaint_loyalty_for(user, now)
    customers = cadence_customers(user)
    return render(
        request,
        "guishu/discipline/complaints.html",
        {
            "rows": rows[:200],
            "now": now,
            "loyalty": loyalty,
            "loyalty_reason": _texts(loyalty.trace),
            "customers": customers,
            "tab": "complaints",
        },
        status=200,
    )


def _person_param_post(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 19 else None


def cadence_customers(user: User) -> list[tuple[int, str]]:
    """The customers `user` may record complaints on, for the form's list."""
    from guishu.ownership.selectors import customers_of_team

    return list(customers_of_team(user).order_by("name", "pk").values_list("pk", "name")[:500])


@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """GET: one complaint. POST: close it with its outcome (its handler or someone over them)."""
    user = signed_in(request)
    complaint = complaints_visible_to(user).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    if request.method == "POST":
        try:
            complaint_resolve(
                user=user,
                complaint_id=complaint_id,
                outcome=request.POST.get("outcome", "")[:5000],
                resolved=request.POST.get("resolved", "yes") != "no",
            )
        except ValidationError as error:
            _say(request, error)
        except (ComplaintRefused, PermissionDenied) as refused:
            messages.error(request, str(getattr(refused, "message", refused)))
        else:
            messages.success(request, _("Complaint closed."))
        return redirect("complaint-detail", complaint_id=complaint_id)
    return render(
        request,
        "guishu/discipline/complaint.html",
        {"complaint": complaint, "now": timezone.now(), "tab": "complaints"},
    )


# The weekly plan -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_page(request: HttpRequest) -> HttpResponse:
    """GET: a rep's plan for a week with plan vs actual (`rep`, `week`). POST: generate it."""
    user = signed_in(request)
    rep_id = _person_param(request, "rep") or user.pk
    this_week = week_start_of(timezone.now(), timezone.get_current_timezone_name())
    week = _date_param(request, "week", this_week)
    week -= timedelta(days=week.weekday())
    if request.method == "POST":
        try:
            plan_generate(user=user, rep_id=rep_id, week_start=week)
        except ValidationError as error:
            _say(request, error)
        except (PermissionDenied, User.DoesNotExist):
            raise Http404 from None
        else:
            messages.success(request, _("Plan generated."))
        return redirect(f"{reverse('plan-week')}?rep={rep_id}&week={week.isoformat()}")
    try:
        plan = plan_of(user, rep_id, week)
    except WeeklyPlan.DoesNotExist:
        raise Http404 from None
    progress = plan_progress(plan) if plan else None
    items = []
    if plan is not None and progress is not None:
        items = [
            (item, item.customer_id in progress.done_ids, _texts(item.trace))
            for item in plan.items.all()
        ]
    return render(
        request,
        "guishu/discipline/plan.html",
        {
            "plan": plan,
            "progress": progress,
            "items": items,
            "plan_reason": _texts(plan.trace) if plan else [],
            "rep_id": rep_id,
            "people": people_in_view(user).order_by("display_name", "username"),
            "week": week,
            "previous_week": week - timedelta(days=7),
            "next_week": week + timedelta(days=7),
            "can_generate": week >= this_week,
            "tab": "plan",
        },
    )


# Time accounting -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def time_page(request: HttpRequest) -> HttpResponse:
    """GET: where time went over a period (default the last 4 weeks) for the people in view,
    against the 12% -> 22% benchmark. POST: enter time spent (travel, admin, meetings...)."""
    user = signed_in(request)
    today = timezone.localdate()
    if request.method == "POST":
        minutes = request.POST.get("minutes", "")
        try:
            on = date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            messages.error(request, _("Give the day as YYYY-MM-DD."))
        else:
            try:
                time_entry_add(
                    user=user,
                    on=on,
                    use=request.POST.get("use", ""),
                    minutes=int(minutes) if minutes.isascii() and minutes.isdigit() else 0,
                    note=request.POST.get("note", "")[:200],
                )
            except ValidationError as error:
                _say(request, error)
            else:
                messages.success(request, _("Time entered."))
                return redirect("discipline-time")
    last = _date_param(request, "to", today)
    first = _date_param(request, "from", last - timedelta(days=27))
    if not timedelta(0) <= last - first <= timedelta(days=366):
        first, last = today - timedelta(days=27), today
    report = time_report(user, first, last)
    uses = list(Use)
    rows = [
        (
            report.people[pk],
            account,
            [(USE_LABELS[use.value], account.share(use)) for use in uses],
        )
        for pk, account in report.accounts.items()
    ]
    names = [name for name, _account, _shares in rows]
    chart = chart_spec(
        "bar",
        # xgettext:no-python-format
        _("Selling time, % of working time"),
        names,
        [
            (_("Selling"), [account.selling_share for _name, account, _s in rows]),
            (_("Typical (12%)"), [TYPICAL_SELLING_PERCENT] * len(rows)),
            (_("Admin lifted (22%)"), [TARGET_SELLING_PERCENT] * len(rows)),
        ],
    )
    return render(
        request,
        "guishu/discipline/time.html",
        {
            "report": report,
            "rows": rows,
            "team_shares": [report.team.share(use) for use in uses],
            "team_reason": _texts(report.team.trace),
            "uses": [USE_LABELS[use.value] for use in uses],
            "use_choices": TimeEntry.Use.choices,
            "chart": chart if rows else None,
            "entries": TimeEntry.objects.filter(person=user).order_by("-on", "-pk")[:20],
            "today": today,
            "tab": "time",
        },
    )
