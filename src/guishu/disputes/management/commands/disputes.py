"""`guishu disputes [list|sweep]`: the disputes waiting for a decision, and their clocks.

`list` shows every open dispute (or one waiting on the customer or under appeal) with its
due date, overdue ones marked. `sweep` runs what the worker runs every morning: reminders a
day before a decision is due, escalation once it is overdue, and "no deal by" dates.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.disputes.models import Dispute
from guishu.disputes.sweep import disputes_sweep

WAITING = (Dispute.Status.OPEN, Dispute.Status.ASKING_CUSTOMER, Dispute.Status.APPEALED)


class Command(BaseCommand):
    help = "List the disputes waiting for a decision, or run their reminders and deadlines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", choices=["list", "sweep"], default="list")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            report = disputes_sweep()
            self.stdout.write(
                _(
                    "Reminded: %(reminded)d; escalated: %(escalated)d; "
                    "no-deal dates applied: %(applied)d, lapsed: %(lapsed)d"
                )
                % {
                    "reminded": report.reminded,
                    "escalated": report.escalated,
                    "applied": report.fallbacks_applied,
                    "lapsed": report.fallbacks_lapsed,
                }
            )
            return
        now = timezone.now()
        rows = (
            Dispute.objects.filter(status__in=WAITING)
            .select_related("customer", "owner", "challenger")
            .order_by("decision_due_at", "pk")
        )
        if not rows:
            self.stdout.write(_("No disputes are waiting."))
        for dispute in rows:
            overdue = dispute.status == Dispute.Status.OPEN and dispute.decision_due_at <= now
            self.stdout.write(
                _(
                    "#%(id)d %(customer)s: %(owner)s v %(challenger)s, %(status)s, "
                    "due %(due)s%(late)s"
                )
                % {
                    "id": dispute.pk,
                    "customer": dispute.customer.name,
                    "owner": dispute.owner.name,
                    "challenger": dispute.challenger.name,
                    "status": dispute.get_status_display(),
                    "due": timezone.localtime(dispute.decision_due_at).date().isoformat(),
                    "late": _(" (overdue)") if overdue else "",
                }
            )
