"""`guishu sweep [--dry-run] [--at ISO-datetime]`: the reclaim sweep on demand."""

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from guishu.domain import ReclaimRule
from guishu.ownership.models import ReclaimWarning
from guishu.ownership.sweep import PlannedAction, SweepReport, ownership_sweep

RULE_LABELS = dict(ReclaimWarning.RuleChoice.choices)


def moment(text: str) -> datetime:
    """An ISO 8601 date-time; without an offset it is read in company time."""
    parsed = parse_datetime(text)
    if parsed is None:
        raise CommandError(_("Not a date and time: %(text)s") % {"text": text})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = "Return customers whose reclaim is due to the pool and record reclaim warnings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would happen; write nothing."
        )
        parser.add_argument(
            "--at",
            type=moment,
            help="Sweep as of this moment (ISO 8601; company time when it has no offset).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = ownership_sweep(now=options["at"], dry_run=options["dry_run"])
        for line in report_lines(report):
            self.stdout.write(line)


def report_lines(report: SweepReport) -> list[str]:
    at = timezone.localtime(report.at).strftime("%Y-%m-%d %H:%M %Z")
    by_rule = ", ".join(
        f"{RULE_LABELS[rule.value]} {report.reclaimed[rule]}" for rule in ReclaimRule
    )
    reclaimed = {"count": report.reclaimed_total, "by_rule": by_rule}
    if not report.dry_run:
        return [
            _("Sweep as of %(at)s") % {"at": at},
            _("Reclaimed: %(count)d (%(by_rule)s)") % reclaimed,
            _("Reclaim warnings recorded: %(count)d") % {"count": report.warned},
            _("Changed while the sweep ran, left as they are: %(count)d") % {"count": report.raced},
            _("Time-boxed collaborations ended: %(count)d")
            % {"count": report.collaborations_ended},
        ]
    lines = [
        _("Dry run as of %(at)s: nothing was written.") % {"at": at},
        _("Would be reclaimed: %(count)d (%(by_rule)s)") % reclaimed,
        _("Reclaim warnings that would be recorded: %(count)d") % {"count": report.warned},
        _("Time-boxed collaborations that would end: %(count)d")
        % {"count": report.collaborations_ended},
    ]
    return lines + [planned_line(action) for action in report.planned]


def planned_line(action: PlannedAction) -> str:
    values = {
        "customer": action.customer_name,
        "owner": action.owner_name,
        "rule": RULE_LABELS[action.rule.value],
        "due": timezone.localtime(action.due_at).date().isoformat(),
    }
    if action.action == "reclaim":
        return _("would reclaim %(customer)s from %(owner)s: %(rule)s, due %(due)s") % values
    return _("would warn %(owner)s about %(customer)s: %(rule)s, due %(due)s") % values
