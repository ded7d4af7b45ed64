"""`guishu serve`: the web server on 127.0.0.1:8000 plus the task worker, for `make run`.

The worker runs as a child process and is stopped when the server stops (Ctrl-C). The demo
logins are printed by `guishu demo`, which `make run` calls just before.
"""

import subprocess  # nosec B404 # starts our own worker command, never a shell
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Guishu on 127.0.0.1:8000 with its background task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        # Our own interpreter and fixed arguments: nothing from input reaches the command.
        worker = subprocess.Popen([sys.executable, "-m", "guishu.cli", "worker"])  # nosec B603
        try:
            call_command("runserver", options["addr"], "--noreload")
        finally:
            worker.terminate()
            worker.wait(timeout=10)
