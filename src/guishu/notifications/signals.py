"""Kicks: when a row that notifies someone is saved, the pump is enqueued once the
transaction commits (never before, and not at all if it rolls back), once per transaction.

A kick only hurries the pump along; the pump reads what was committed, so a kick that is
lost (or a writer that sends no signal, like the sweep's bulk inserts and `bulk_create`)
costs a delay until the waiting pump runs, never a notice. Ownership events are written
with `bulk_create`, which sends no `post_save`; the new term a claim, an assignment or a
transfer creates does, so the kick listens to it too.
"""

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.tasks.signals import task_finished

from guishu.disputes.models import Collision, DisputeLog, Violation
from guishu.domain import Basis
from guishu.notifications.sources import NOTIFYING_EVENTS
from guishu.notifications.tasks import pump_soon
from guishu.ownership.models import Ownership, OwnershipEvent, ReclaimWarning

NOTIFYING_BASES = (Basis.CLAIMED, Basis.ASSIGNED, Basis.TRANSFERRED)
SWEEP_TASK = "guishu.ownership.tasks.ownership_sweep_task"

logger = logging.getLogger(__name__)


def kick() -> None:
    """The pump, on commit; a transaction that already asked for it is not asked again."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is pump_soon for _, callback, _ in connection.run_on_commit
    ):
        return
    # Robust: the writer's transaction has committed; a failed enqueue must not turn its
    # request into an error (the waiting pump will find the rows anyway).
    transaction.on_commit(pump_soon, robust=True)


@receiver(post_save, sender=Ownership)
def new_term(sender: Any, instance: Ownership, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw") and instance.basis in NOTIFYING_BASES:
        kick()


@receiver(post_save, sender=OwnershipEvent)
def new_event(sender: Any, instance: OwnershipEvent, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw") and instance.kind in NOTIFYING_EVENTS:
        kick()


@receiver(post_save, sender=Collision)
@receiver(post_save, sender=ReclaimWarning)
@receiver(post_save, sender=DisputeLog)
@receiver(post_save, sender=Violation)
def new_row(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        kick()


@receiver(task_finished)
def sweep_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """The nightly sweep reclaims and warns with bulk inserts: pump once it is done."""
    if task_result.task.module_path != SWEEP_TASK:
        return
    try:
        pump_soon()
    except Exception:
        # Raised here, it would mark the finished sweep as failed; the waiting pump runs anyway.
        logger.exception("could not enqueue the notifications pump after the sweep")
