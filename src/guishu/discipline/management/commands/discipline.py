"""`guishu discipline evaluate|plan|digest|overdue`: customer discipline by hand.

`evaluate` re-evaluates the classifications that are due (what the worker does daily at
06:30); `plan --rep NAME` generates a rep's plan for this week; `digest` writes this week's
overdue notices to managers (the worker does it on Mondays); `overdue --user NAME` lists the
customers overdue for contact as that person sees them.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.discipline.cadence import overdue_for
from guishu.discipline.services import (
    classifications_evaluate_due,
    overdue_digest_send,
    plan_generate,
)
from guishu.web.trace import translate_trace


class Command(BaseCommand):
    help = "Classifications, weekly plans, the overdue digest, overdue customers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["evaluate", "plan", "digest", "overdue"])
        parser.add_argument("--rep", help="username (plan)")
        parser.add_argument("--user", help="username (overdue)")

    def _person(self, username: str | None) -> User:
        if not username:
            raise CommandError(_("Name a person with --rep or --user."))
        person = User.objects.filter(username=username).first()
        if person is None:
            raise CommandError(_("No such user: %(name)s") % {"name": username})
        return person

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "evaluate":
            count = classifications_evaluate_due()
            self.stdout.write(_("Classifications evaluated: %(n)d") % {"n": count})
        elif action == "digest":
            count = overdue_digest_send()
            self.stdout.write(_("Overdue notices written: %(n)d") % {"n": count})
        elif action == "plan":
            rep = self._person(options["rep"])
            plan = plan_generate(user=rep)
            self.stdout.write(
                _("Plan for %(rep)s, week of %(week)s: %(n)d contacts planned of %(slots)d")
                % {
                    "rep": rep.name,
                    "week": plan.week_start.isoformat(),
                    "n": plan.items.count(),
                    "slots": plan.planned_slots,
                }
            )
        else:
            person = self._person(options["user"])
            rows = overdue_for(person)
            if not rows:
                self.stdout.write(_("No customer is overdue for contact."))
            for row in rows:
                reason = "; ".join(translate_trace(line) for line in row.reason)
                self.stdout.write(f"{row.name} ({row.owner_name}): {reason}")
