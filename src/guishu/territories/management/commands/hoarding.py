"""`guishu hoarding [--days 90]`: reps who let customers go and claimed them back."""

from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guishu.territories.hoarding import HoardingReport, hoarding_report


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ArgumentTypeError(_("Give a whole number of days, at least 1."))
    return int(text)


class Command(BaseCommand):
    help = "Report claim -> release -> re-claim cycles per rep (anti-hoarding signals)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=positive, default=90, help="The period, up to now (default 90)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = hoarding_report(viewer=None, days=options["days"])
        for line in report_lines(report, options["days"]):
            self.stdout.write(line)


def day(moment: Any) -> str:
    return timezone.localtime(moment).date().isoformat()


def report_lines(report: HoardingReport, days: int) -> list[str]:
    lines = [
        _("Claim, release and re-claim cycles in the last %(days)d days (%(since)s to %(until)s):")
        % {"days": days, "since": day(report.since), "until": day(report.until)}
    ]
    if not report.rows:
        return [*lines, _("None found.")]
    for row in report.rows:
        customers = ", ".join(f"{customer.name} ({customer.cycles})" for customer in row.customers)
        lines.append(
            ngettext(
                "%(rep)s: %(cycles)d cycle, last on %(last)s: %(customers)s",
                "%(rep)s: %(cycles)d cycles, last on %(last)s: %(customers)s",
                row.cycles,
            )
            % {
                "rep": row.rep.name,
                "cycles": row.cycles,
                "last": day(row.last_cycle_at),
                "customers": customers,
            }
        )
    return lines
