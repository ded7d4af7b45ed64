"""`guishu serve`: the web server on 127.0.0.1:8000 plus the task worker, for `make run`.

The worker runs as a child process and is stopped when the server stops (Ctrl-C).
"""

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from guishu.accounts.models import User


class Command(BaseCommand):
    help = "Serve Guishu on 127.0.0.1:8000 with its background task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        self._print_logins()
        worker = subprocess.Popen([sys.executable, "-m", "guishu.cli", "worker"])
        try:
            call_command("runserver", options["addr"], "--noreload")
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _print_logins(self) -> None:
        from guishu.demo import DEMO_PASSWORD

        users = User.objects.order_by("role", "username").select_related("team")
        if not users:
            return
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demo logins (password for every user: {DEMO_PASSWORD})")
        )
        for user in users:
            team = user.team.name if user.team else "-"
            self.stdout.write(f"  {user.username:<14} {user.get_role_display():<20} {team}")
        self.stdout.write("")
