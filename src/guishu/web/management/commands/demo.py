"""`guishu demo`: loads the demo company (people, ~2,000 customers and a year of history).

`make run` calls it with --if-empty, so the demo loads once and later runs only print the
logins. The same seed on the same date gives the same data.
"""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guishu.accounts.models import User
from guishu.demo import DEMO_PASSWORD
from guishu.demo.load import DEFAULT_CUSTOMERS, DEFAULT_SEED, DemoSummary, demo_load
from guishu.demo.org import logins
from guishu.demo.plan import PlanError


class Command(BaseCommand):
    help = "Load a realistic, deterministic demo company into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--customers",
            type=int,
            default=DEFAULT_CUSTOMERS,
            help=f"how many customers (default {DEFAULT_CUSTOMERS}; from 20 to about 4,000)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing but print the logins if any user exists",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="anchor date YYYY-MM-DD (default: today, company time zone)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has users; the demo is not loaded again.")
                self._logins()
                return
            # Ownership events are append-only, so the way back to empty is a new database
            # (on SQLite: delete var/guishu.sqlite3 and migrate), never a flush.
            raise CommandError(
                "The database already has users: the demo loads only into an empty database "
                "(on SQLite, delete var/guishu.sqlite3 and migrate again). Pass --if-empty to "
                "just print the logins."
            )
        if options["customers"] < 20:
            raise CommandError("--customers must be at least 20.")
        started = time.perf_counter()
        try:
            summary = demo_load(
                seed=options["seed"], customers=options["customers"], today=options["today"]
            )
        except PlanError as error:
            # The year is planned before anything is written, so nothing was loaded.
            raise CommandError(
                f"The demo could not be planned: {error}. Each rep holds at most 200 customers, "
                "so the demo company carries about 4,000 customers at most."
            ) from error
        self._summary(summary, time.perf_counter() - started)
        self._logins()

    def _summary(self, s: DemoSummary, seconds: float) -> None:
        c = s.counts
        activities = c.get("touch", 0) + c.get("follow_up", 0)
        orders = c.get("order", 0) + c.get("reorder", 0)
        lines = [
            f"Demo loaded in {seconds:.1f} s, history up to {s.anchor:%Y-%m-%d %H:%M %Z}.",
            f"  customers      {c['customers']} ({c['domestic']} domestic, "
            f"{c['customers'] - c['domestic']} foreign)",
            f"  owned / pool   {s.owned} / {s.pooled}  (protected {s.protected}, locked "
            f"{s.locked}, due for reclaim within 3 days {s.due_in_3_days}, within 7 days "
            f"{s.due_in_7_days})",
            f"  activities     {activities}",
            f"  orders         {orders} with {c.get('collect', 0)} collections",
            f"  reclaims       {c.get('reclaim', 0)}, releases {c.get('release', 0)}, claims "
            f"{c.get('claim', 0)}, assignments {c.get('assign', 0)}, transfers "
            f"{c.get('transfer', 0)}, locks {c.get('lock', 0)}",
            f"  collisions     {c.get('collide', 0)}",
            "",
            f"The case of reps A and B (DOMAIN.md), ready to be disputed: “{s.ab_customer}”,",
            f"  registered and locked a year ago by {s.rep_a}, who only sent a catalog;",
            f"  worked for months by {s.rep_b}, whose registration collided with it.",
        ]
        self.stdout.write(self.style.SUCCESS(lines[0]))
        self.stdout.write("\n".join(lines[1:]))

    def _logins(self) -> None:
        rows = logins()
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demo logins (every user's password: {DEMO_PASSWORD})")
        )
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for username, name, role, team in rows:
            cells = [_pad(username, widths[0]), _pad(name, widths[1]), _pad(role, widths[2])]
            self.stdout.write("  " + "  ".join([*cells, team]))


def _width(text: str) -> int:
    """Display width: Chinese characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
