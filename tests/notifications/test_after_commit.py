"""Only after commit, on real transactions: while a collision's transaction is open nothing
is notified or even enqueued; a rollback leaves nothing to notify; a commit enqueues the pump
once, and the database worker then notifies and posts to the platform."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from guishu.disputes.services import overlap_record
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Delivery, Notification
from guishu.notifications.tasks import notifications_pump_task, pump_soon
from guishu.ops.schedule import daily_jobs, enqueue_due_jobs
from guishu.ownership.services import pool_claim, pool_release
from guishu.ownership.tasks import ownership_sweep_task
from tests.factories import make_cast, register
from tests.notifications.conftest import make_channel, told

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]

PUMP = notifications_pump_task.module_path


class Undo(Exception):
    pass


def collide(cast, customer) -> None:  # type: ignore[no-untyped-def]
    """Bob tries to register Alice's customer: a collision row, as the services record it
    (a registration, so no violation is detected beside it)."""
    overlap_record(
        customer=customer,
        attempted_by=cast.bob,
        owner_id=cast.alice.pk,
        owner_since=timezone.now(),
        action="register",
        at=timezone.now(),
    )


def pumps() -> int:
    return DBTaskResult.objects.filter(task_path=PUMP).count()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*")


def test_nothing_is_created_or_enqueued_before_commit_nor_after_a_rollback(allow_flush):
    cast = make_cast()
    customer = register(cast.alice, "Mueller Industrietechnik GmbH")
    with pytest.raises(Undo), transaction.atomic():
        collide(cast, customer)
        assert pumps() == 0 and Notification.objects.count() == 0
        raise Undo
    assert pumps() == 0
    notifications_fanout()
    assert Notification.objects.count() == 0


def test_a_commit_enqueues_the_pump_once_and_the_worker_notifies(allow_flush, webhook_server):
    cast = make_cast()
    make_channel(webhook_server, platform="wecom")
    customer = register(cast.alice, "Mueller Industrietechnik GmbH")
    assert pumps() == 0  # a registration notifies nobody, so it does not kick
    with transaction.atomic():
        collide(cast, customer)
        collide(cast, customer)
        assert pumps() == 0 and Notification.objects.count() == 0
        waiting = [hook for _, hook, _ in connection.run_on_commit if hook is pump_soon]
        assert len(waiting) == 1
    assert pumps() == 1  # once per transaction
    assert Notification.objects.count() == 0  # the worker has not run yet
    run_worker()
    assert told() == [("alice", "collision")] * 2
    [posted] = webhook_server.received
    assert posted.body["msgtype"] == "markdown"
    assert "Mueller Industrietechnik GmbH" in posted.body["markdown"]["content"]
    assert Delivery.objects.filter(digest__status="sent").count() == 2
    # The pump left its successor waiting, as the safety net.
    waiting = DBTaskResult.objects.filter(task_path=PUMP, status="READY").get()
    assert waiting.run_after > timezone.now() + timedelta(minutes=4)


def test_a_pump_already_waiting_to_run_is_not_enqueued_again(allow_flush):
    cast = make_cast()
    customer = register(cast.bob, "Pumpenwerk Ost GmbH")
    assert pool_release(user=cast.bob, customer_id=customer.pk).accepted
    assert pool_claim(user=cast.alice, customer_id=customer.pk).accepted  # a new term: a kick
    assert pumps() == 1
    collide(cast, register(cast.alice, "Shenzhen Hengda Motors"))
    assert pumps() == 1  # the waiting pump will read this collision too
    run_worker()
    assert sorted(told()) == [("alice", "collision"), ("bob", "claimed"), ("carol", "claimed")]


def test_the_nightly_sweeps_bulk_reclaims_are_pumped_when_it_ends(allow_flush):
    cast = make_cast()
    register(cast.alice, "Lagos Agro Ltd", level="A", now=timezone.now() - timedelta(days=40))
    ownership_sweep_task.enqueue()
    run_worker()  # the sweep writes with bulk inserts: no signal, no kick but its end
    assert told() == [("alice", "reclaimed")]


def test_the_daily_job_tells_owners_whose_protection_ends_soon(allow_flush):
    cast = make_cast()
    register(cast.alice, "Ends Soon Ltd", now=timezone.now() - timedelta(days=28))
    [job] = [job for job in daily_jobs() if job.name == "notifications_daily"]
    morning = timezone.make_aware(datetime.combine(timezone.localdate(), job.at))
    assert [run.job for run in enqueue_due_jobs(now=morning, jobs=[job])] == [job.name]
    run_worker()
    assert told() == [("alice", "protection_ending")]
