"""`guishu reindex`: rebuilds every customer's match profile and keys (after an upgrade that
changes how names are parsed, say). Safe to run while people work: one batch per transaction."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from guishu.customers.identity import identity_refresh
from guishu.customers.models import Customer


class Command(BaseCommand):
    help = "Rebuild the stored match profiles and identity keys of all customers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), options["batch"]):
            with transaction.atomic():
                batch = ids[start : start + options["batch"]]
                for customer in Customer.objects.filter(pk__in=batch).select_for_update():
                    identity_refresh(customer)
            self.stdout.write(f"\r{min(start + options['batch'], len(ids))}/{len(ids)}", ending="")
        self.stdout.write(f"\nReindexed {len(ids)} customers.")
