"""`guishu notifications [--run] [--limit N]`: recent delivery failures, newest first: digests
that failed for good and those waiting to be retried, with the last error and the next try."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.notifications.selectors import delivery_failures
from guishu.notifications.tasks import notifications_pump


class Command(BaseCommand):
    help = "List recent notification delivery failures (and optionally send what is due)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--run", action="store_true", help="First fan out, gather and send what is due now."
        )
        parser.add_argument("--limit", type=int, default=20, help="How many to list (20).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["run"]:
            report = notifications_pump()
            self.stdout.write(
                _("Read %(read)d rows: %(notices)d notices, %(digests)d digests; sent %(sends)s")
                % {**report, "sends": report["sends"] or "-"}
            )
        failures = list(delivery_failures()[: max(options["limit"], 0)])
        if not failures:
            self.stdout.write(_("No failed deliveries."))
            return
        for digest in failures:
            self.stdout.write(failure_line(digest))


def failure_line(digest: Any) -> str:
    values = {
        "id": digest.pk,
        "to": destination_label(digest),
        "status": digest.get_status_display(),
        "attempts": digest.attempts,
        "error": digest.last_error or "-",
        "next": (
            timezone.localtime(digest.next_attempt_at).strftime("%Y-%m-%d %H:%M")
            if digest.status == digest.Status.PENDING
            else "-"
        ),
    }
    return (
        _("#%(id)d to %(to)s: %(status)s after %(attempts)d attempts; next try %(next)s; %(error)s")
        % values
    )


def destination_label(digest: Any) -> str:
    if digest.channel is not None:
        return f"{digest.channel.name} ({digest.channel.get_platform_display()})"
    return _("e-mail to %(name)s") % {"name": digest.user.name if digest.user else "?"}
