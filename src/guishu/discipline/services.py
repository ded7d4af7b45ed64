"""Use cases of customer discipline: classify, handle complaints, plan the week, enter time.

Each service is one transaction. None changes ownership; a change of potential writes the
customer's level (which the reclaim clocks read) and a `ClassificationChange` with who and
why, in the same transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.activities.models import Order
from guishu.customers.models import Customer
from guishu.discipline.models import (
    Classification,
    ClassificationChange,
    Complaint,
    OverdueNotice,
    PlanItem,
    Source,
    TimeEntry,
    WeeklyPlan,
)
from guishu.domain import ClassificationInputs, Level, Policy, Role, TraceLine
from guishu.domain.cadence import complaint_deadline
from guishu.domain.classification import engagement_of, potential_of
from guishu.domain.planning import week_start_of, weekly_plan
from guishu.domain.trace import gettext_noop as N_
from guishu.ownership.locking import lock_customer
from guishu.ownership.policies import PoliciesByTeam, policy_for
from guishu.ownership.selectors import customers_of_team

YEAR = timedelta(days=365)
INPUT_FIELDS = ("employees", "potential_estimate", "monthly_volume", "our_share", "margin")


def _json(lines: Any) -> list[dict[str, Any]]:
    return [line.as_json() for line in lines]


def may_manage(user: User, person_id: int) -> bool:
    """Whether `user` is `person_id` or oversees them (a manager's team trees; directors and
    admins everyone)."""
    if user.pk == person_id:
        return True
    managed = managed_user_ids(user)
    return managed is None or person_id in managed


def classifiable_customer(user: User, customer_id: int) -> Customer:
    """The customer if `user` may classify it: its owner, a manager over the owner, a director
    or an admin (directors and admins pooled customers too). Anyone else: DoesNotExist, as if
    it did not exist."""
    if user.role in (Role.DIRECTOR, Role.ADMIN):
        return Customer.objects.get(pk=customer_id)
    return customers_of_team(user).get(pk=customer_id)


def _owner_policy(customer_id: int) -> Policy:
    from guishu.ownership.models import Ownership

    term = (
        Ownership.objects.filter(customer_id=customer_id, ended_at__isnull=True)
        .select_related("owner")
        .first()
    )
    return policy_for(term.owner if term else None)


def orders_last_12_months(customer_id: int, now: datetime) -> Decimal:
    total = Order.objects.filter(
        customer_id=customer_id,
        status=Order.Status.WON,
        ordered_at__gt=now - YEAR,
        ordered_at__lte=now,
    ).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


def _inputs(row: Classification, customer: Customer, history: Decimal) -> ClassificationInputs:
    return ClassificationInputs(
        industry=customer.industry,
        employees=row.employees,
        potential_estimate=row.potential_estimate,
        orders_last_12_months=history,
        monthly_volume=row.monthly_volume,
        our_share=row.our_share,
        margin=row.margin,
    )


def _record(
    row: Classification,
    customer: Customer,
    field: str,
    before: str,
    after: str,
    source: str,
    reason: list[dict[str, Any]],
    note: str,
    by: User | None,
    now: datetime,
) -> None:
    if before == after:
        return
    ClassificationChange.objects.create(
        customer=customer,
        field=field,
        before=before,
        after=after,
        source=source,
        reason=reason,
        note=note,
        at=now,
        by=by,
    )
    if field == ClassificationChange.Field.POTENTIAL:
        # The potential is the level the policies use; this is not an ownership change.
        Customer.objects.filter(pk=customer.pk).update(level=after)
        customer.level = after


def _apply_rules(
    row: Classification,
    customer: Customer,
    policy: Policy,
    *,
    by: User | None,
    note: str,
    now: datetime,
) -> Classification:
    """Evaluates the rules on the row's inputs and writes what changed, with its history."""
    inputs = _inputs(row, customer, orders_last_12_months(customer.pk, now))
    engagement = engagement_of(inputs, policy)
    new_engagement = engagement.engagement.value if engagement.engagement else ""
    _record(
        row,
        customer,
        ClassificationChange.Field.ENGAGEMENT,
        row.engagement,
        new_engagement,
        Source.RULE,
        _json(engagement.trace),
        note,
        by,
        now,
    )
    row.engagement = new_engagement
    row.strategy = engagement.strategy.value if engagement.strategy else ""
    row.engagement_reason = _json(engagement.trace)
    if row.potential_source == Source.RULE:
        potential = potential_of(inputs, policy)
        _record(
            row,
            customer,
            ClassificationChange.Field.POTENTIAL,
            customer.level,
            potential.level.value,
            Source.RULE,
            _json(potential.trace),
            note,
            by,
            now,
        )
        row.potential = potential.level.value
        row.potential_reason = _json(potential.trace)
    row.evaluated_at = now
    row.updated_at = now
    if by is not None:
        row.updated_by = by
    row.save()
    return row


def _row_for(customer_id: int, now: datetime) -> tuple[Customer, Classification]:
    """The customer, locked (so a profile edit and a classification never overwrite each
    other's level), and its classification, created (as the current level, by rule) on first
    use."""
    customer = lock_customer(customer_id)
    row, _created = Classification.objects.get_or_create(
        customer=customer,
        defaults={"potential": customer.level, "evaluated_at": now, "updated_at": now},
    )
    return customer, row


@dataclass(frozen=True)
class ClassificationInput:
    """What a person sets: any of the inputs (None leaves one as it is; `clear` names inputs
    to forget), and the potential by hand ("A"/"B"/"C") or back to the rule ("rule")."""

    employees: int | None = None
    potential_estimate: Decimal | None = None
    monthly_volume: Decimal | None = None
    our_share: Decimal | None = None
    margin: Decimal | None = None
    clear: tuple[str, ...] = ()
    potential: str | None = None
    note: str = ""


def _check(data: ClassificationInput) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("potential_estimate", "monthly_volume"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors[name] = [_("Give an amount of 0 or more.")]
    for name in ("our_share", "margin"):
        value = getattr(data, name)
        if value is not None and not Decimal(-100) <= value <= Decimal(100):
            errors[name] = [_("Give a percentage from -100 to 100.")]
    if data.our_share is not None and data.our_share < 0:
        errors["our_share"] = [_("Give a percentage from 0 to 100.")]
    if data.employees is not None and data.employees < 0:
        errors["employees"] = [_("Give a number of 0 or more.")]
    unknown = set(data.clear) - set(INPUT_FIELDS)
    if unknown:
        errors["clear"] = [_("Name inputs to forget among: %s") % ", ".join(INPUT_FIELDS)]
    if data.potential is not None and data.potential not in ("A", "B", "C", "rule"):
        errors["potential"] = [_("Choose A, B, C or rule.")]
    if data.potential in ("A", "B", "C") and not data.note.strip():
        errors["note"] = [_("Say why you set the potential by hand.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def classification_set(
    *, user: User, customer_id: int, data: ClassificationInput, now: datetime | None = None
) -> Classification:
    """Sets inputs and/or the potential by hand (with a reason), then evaluates the rules.

    Refused (DoesNotExist) for a customer the user may not classify: see
    `classifiable_customer`.
    """
    now = now or timezone.now()
    _check(data)
    customer, row = _row_for(classifiable_customer(user, customer_id).pk, now)
    for name in INPUT_FIELDS:
        value = getattr(data, name)
        if name in data.clear:
            setattr(row, name, None)
        elif value is not None:
            setattr(row, name, value)
    note = data.note.strip()[:500]
    row.note = note or row.note
    if data.potential == "rule":
        row.potential_source = Source.RULE
    elif data.potential is not None:
        level = Level(data.potential)
        reason = [
            TraceLine(
                N_("set by hand by {person} on {day}: {note}"),
                {"person": user.name, "day": timezone.localdate(now).isoformat(), "note": note},
            ).as_json()
        ]
        _record(
            row,
            customer,
            ClassificationChange.Field.POTENTIAL,
            customer.level,
            level.value,
            Source.HAND,
            reason,
            note,
            user,
            now,
        )
        row.potential = level.value
        row.potential_source = Source.HAND
        row.potential_reason = reason
    return _apply_rules(row, customer, _owner_policy(customer.pk), by=user, note=note, now=now)


@transaction.atomic(durable=True)
def classification_evaluate(
    *, customer_id: int, user: User | None = None, now: datetime | None = None
) -> Classification:
    """Evaluates a customer's classification by the rules now (a hand-set potential stands).
    With a `user`, only a customer they may classify; without, the scheduled job."""
    now = now or timezone.now()
    if user is not None:
        classifiable_customer(user, customer_id)  # DoesNotExist for anyone else
    customer, row = _row_for(customer_id, now)
    return _apply_rules(row, customer, _owner_policy(customer.pk), by=user, note="", now=now)


def classifications_evaluate_due(*, now: datetime | None = None, limit: int = 5000) -> int:
    """The scheduled re-evaluation: every owned customer never classified, and every
    classification by rule not evaluated for `classification_review_days` (its owner's
    team policy). One transaction per customer; returns how many were evaluated."""
    now = now or timezone.now()
    policies = PoliciesByTeam(now)
    from guishu.ownership.models import Ownership

    terms = Ownership.objects.filter(ended_at__isnull=True).select_related("owner")
    evaluated = 0
    never = terms.exclude(customer__classification__isnull=False)
    stale = terms.filter(customer__classification__potential_source=Source.RULE)
    candidates = list(never.values_list("customer_id", "owner__team_id")[:limit])
    for customer_id, team_id, evaluated_at in stale.values_list(
        "customer_id", "owner__team_id", "customer__classification__evaluated_at"
    ).iterator():
        if len(candidates) >= limit:
            break
        review = timedelta(days=policies.of(team_id).classification_review_days)
        if evaluated_at is None or evaluated_at <= now - review:
            candidates.append((customer_id, team_id))
    for customer_id, _team in candidates:
        classification_evaluate(customer_id=customer_id, now=now)
        evaluated += 1
    return evaluated


# Complaints ------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def complaint_open(
    *,
    user: User,
    customer_id: int,
    summary: str,
    received_at: datetime | None = None,
    handler_id: int | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Records a complaint on a customer the user may classify (its owner or someone over
    them). The handler defaults to the owner (else the user); the deadline follows the
    owner's team policy."""
    now = now or timezone.now()
    received_at = received_at or now
    errors: dict[str, list[str]] = {}
    if not summary.strip():
        errors["summary"] = [_("Say what the customer complains about.")]
    if received_at > now:
        errors["received_at"] = [_("A complaint cannot be received in the future.")]
    if errors:
        raise ValidationError(errors)
    customer = classifiable_customer(user, customer_id)
    from guishu.ownership.models import Ownership

    term = Ownership.objects.filter(customer=customer, ended_at__isnull=True).first()
    handler_id = handler_id or (term.owner_id if term else user.pk)
    handler = User.objects.filter(pk=handler_id, is_active=True).first()
    owner_id = term.owner_id if term else None
    if handler is None or not (may_manage(user, handler.pk) or handler.pk == owner_id):
        raise ValidationError({"handler": [_("Choose yourself, the owner or someone you manage.")]})
    return Complaint.objects.create(
        customer=customer,
        summary=summary.strip()[:500],
        received_at=received_at,
        handler=handler,
        deadline=complaint_deadline(received_at, _owner_policy(customer.pk)),
        opened_by=user,
        created_at=now,
    )


class ComplaintRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@transaction.atomic(durable=True)
def complaint_resolve(
    *,
    user: User,
    complaint_id: int,
    outcome: str,
    resolved: bool = True,
    now: datetime | None = None,
) -> Complaint:
    """Closes a complaint, resolved or not, with its outcome: by its handler or anyone over
    them. A closed complaint is not closed again (ComplaintRefused `already_closed`)."""
    now = now or timezone.now()
    complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
    if not may_manage(user, complaint.handler_id):
        raise PermissionDenied(_("Only the person responsible or their manager closes it."))
    if not outcome.strip():
        raise ValidationError({"outcome": [_("Say how it ended.")]})
    closed = Complaint.objects.filter(pk=complaint_id, status=Complaint.Status.OPEN).update(
        status=Complaint.Status.RESOLVED if resolved else Complaint.Status.UNRESOLVED,
        outcome=outcome.strip(),
        closed_at=now,
        closed_by=user,
    )
    if not closed:
        raise ComplaintRefused("already_closed", _("This complaint is already closed."))
    complaint.refresh_from_db()
    return complaint


# Plans ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def plan_generate(
    *,
    user: User,
    rep_id: int | None = None,
    week_start: date | None = None,
    now: datetime | None = None,
) -> WeeklyPlan:
    """Generates (or regenerates) a rep's plan for a week: the rep's own, or by a manager
    over them. Past weeks are not planned."""
    from guishu.discipline.selectors import plan_candidates

    now = now or timezone.now()
    rep_id = rep_id or user.pk
    if not may_manage(user, rep_id):
        raise PermissionDenied(_("You may plan only your own week or your team's."))
    rep = User.objects.get(pk=rep_id)
    policy = policy_for(rep, now)
    this_week = week_start_of(now, policy.timezone)
    week_start = week_start or this_week
    if week_start.weekday() != 0:
        raise ValidationError({"week": [_("A week starts on a Monday.")]})
    if week_start < this_week:
        raise ValidationError({"week": [_("A past week cannot be planned.")]})
    plan = weekly_plan(plan_candidates(rep, now), week_start=week_start, policy=policy)
    row, _created = WeeklyPlan.objects.update_or_create(
        rep=rep,
        week_start=week_start,
        defaults={
            "capacity": plan.capacity,
            "planned_slots": plan.planned_slots,
            "left_out": plan.left_out,
            "trace": _json(plan.trace),
            "generated_at": now,
            "generated_by": user,
        },
    )
    row.items.all().delete()
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=row,
            customer_id=item.customer_id,
            on=item.on,
            channel=item.channel.value,
            why=int(item.why),
            trace=_json(item.trace),
        )
        for item in plan.items
    )
    return row


# Time ----------------------------------------------------------------------------------

MAX_MINUTES_A_DAY = 24 * 60


@transaction.atomic(durable=True)
def time_entry_add(
    *,
    user: User,
    on: date,
    use: str,
    minutes: int,
    note: str = "",
    now: datetime | None = None,
) -> TimeEntry:
    """Records time the user spent (travel, admin, internal meetings...) on a past day."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if use not in TimeEntry.Use.values:
        errors["use"] = [_("Choose what the time was spent on.")]
    if not 0 < minutes <= MAX_MINUTES_A_DAY:
        errors["minutes"] = [_("Give minutes from 1 to 1440.")]
    if on > timezone.localdate(now):
        errors["on"] = [_("Time cannot be entered for a day to come.")]
    if on < timezone.localdate(now) - YEAR:
        errors["on"] = [_("Time can be entered for the last 12 months only.")]
    if errors:
        raise ValidationError(errors)
    return TimeEntry.objects.create(
        person=user, on=on, use=use, minutes=minutes, note=note.strip()[:200], created_at=now
    )


# The weekly digest -----------------------------------------------------------------------


def overdue_digest_send(*, now: datetime | None = None) -> int:
    """Writes this week's overdue notices for every manager (one per overdue customer of their
    team trees); the notification fan-out delivers them in digests. Running it twice in a
    week tells nobody twice. Returns how many notices were new."""
    from guishu.discipline.cadence import overdue_for

    now = now or timezone.now()
    week = week_start_of(now, policy_for(None, now).timezone)
    written = 0
    for manager in User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk"):
        rows = [row for row in overdue_for(manager, now) if row.owner_id != manager.pk]
        if not rows:
            continue
        with transaction.atomic():
            before = OverdueNotice.objects.filter(manager=manager, week_start=week).count()
            OverdueNotice.objects.bulk_create(
                [
                    OverdueNotice(
                        week_start=week,
                        customer_id=row.customer_id,
                        owner_id=row.owner_id,
                        manager=manager,
                        due_at=row.status.due_at,
                        days_overdue=row.status.days_overdue,
                        created_at=now,
                    )
                    for row in rows
                ],
                ignore_conflicts=True,
            )
            written += OverdueNotice.objects.filter(manager=manager, week_start=week).count()
            written -= before
    if written:
        from guishu.notifications.tasks import pump_soon

        transaction.on_commit(pump_soon)
    return written
