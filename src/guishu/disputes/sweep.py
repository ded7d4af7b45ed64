"""The disputes' clocks, run daily by the worker (and by `guishu disputes sweep`):

- a reminder to whoever must decide, a day before an open dispute's decision is due;
- escalation to the directors once it is overdue (the dispute stays open; a director, or
  still the manager, decides it);
- a decision's "no deal by" date: if the lead has not won a deal since the decision when
  the date has passed, the customer goes to the other party.

Each step re-checks its condition on the locked dispute, so running the sweep twice, or
racing a decision, does nothing twice.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from guishu.activities.models import Order
from guishu.disputes.disputes import (
    dispute_policy,
    enact_outcome,
    locked_dispute,
    log_entry,
    parties_of,
)
from guishu.disputes.models import Dispute, DisputeLog
from guishu.domain import disputes as rules
from guishu.domain.disputes import Stage
from guishu.ownership.models import Ownership


@dataclass
class DisputeSweepReport:
    reminded: int = 0
    escalated: int = 0
    fallbacks_applied: int = 0
    fallbacks_lapsed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def disputes_sweep(*, now: datetime | None = None) -> DisputeSweepReport:
    now = now or timezone.now()
    report = DisputeSweepReport()
    open_ids = Dispute.objects.filter(
        status=Stage.OPEN,
        escalated_at__isnull=True,
        decision_due_at__lte=now + rules.REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    for dispute_id in list(open_ids):
        _clock(dispute_id, now, report)
    pending = Dispute.objects.filter(
        status=Stage.DECIDED,
        fallback_on__isnull=False,
        fallback_applied_at__isnull=True,
        fallback_on__lt=timezone.localdate(now),
    ).values_list("pk", flat=True)
    for dispute_id in list(pending):
        _fallback(dispute_id, now, report)
    return report


@transaction.atomic(durable=True)
def _clock(dispute_id: int, now: datetime, report: DisputeSweepReport) -> None:
    dispute = locked_dispute(dispute_id)
    if dispute.status != Stage.OPEN:
        return
    due = dispute.decision_due_at
    if rules.escalation_due(due_at=due, escalated=dispute.escalated_at is not None, now=now):
        dispute.escalated_at = now
        dispute.reminded_at = dispute.reminded_at or now
        dispute.save(update_fields=["escalated_at", "reminded_at"])
        log_entry(dispute, DisputeLog.Kind.ESCALATED, now, None)
        report.escalated += 1
    elif rules.reminder_due(due_at=due, reminded=dispute.reminded_at is not None, now=now):
        dispute.reminded_at = now
        dispute.save(update_fields=["reminded_at"])
        log_entry(dispute, DisputeLog.Kind.REMINDER, now, None, date=due.isoformat())
        report.reminded += 1


@transaction.atomic(durable=True)
def _fallback(dispute_id: int, now: datetime, report: DisputeSweepReport) -> None:
    dispute = locked_dispute(dispute_id)
    if (
        dispute.status != Stage.DECIDED
        or dispute.fallback_on is None
        or dispute.fallback_applied_at is not None
        or dispute.settled_at is None
        or not rules.fallback_due(dispute.fallback_on, now=now, policy=dispute_policy(dispute, now))
    ):
        return
    dispute.fallback_applied_at = now
    dispute.save(update_fields=["fallback_applied_at"])
    term = Ownership.objects.filter(customer_id=dispute.customer_id, ended_at__isnull=True).first()
    won = Order.objects.filter(
        customer_id=dispute.customer_id,
        status=Order.Status.WON,
        ordered_at__gte=dispute.settled_at,
    ).exists()
    if won or term is None or term.owner_id != dispute.lead_id:
        # A deal was won, or the lead no longer holds it (released, reclaimed, handed over):
        # the rule has nothing left to protect against.
        report.fallbacks_lapsed += 1
        return
    parties = parties_of(dispute)
    lead = parties.by_id(term.owner_id)
    assert lead is not None
    other = parties.other(lead)
    enact_outcome(dispute, other, None, None, how="fallback", by=None, now=now)
    dispute.lead_id = other.id
    dispute.save(update_fields=["lead"])
    log_entry(dispute, DisputeLog.Kind.FALLBACK, now, None, lead=lead.name, to=other.name)
    report.fallbacks_applied += 1
