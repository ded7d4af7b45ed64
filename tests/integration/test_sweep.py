"""The reclaim sweep against the database: it reclaims exactly what the engine forecasts as
due, writes what `customer_reclaim` writes, warns once, changes nothing when run again or
twice at once, and never takes a customer whose follow-up committed first. The daily schedule
enqueues it once per company date, and the database worker runs it."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guishu.activities.models import Activity
from guishu.activities.services import activity_log, order_record
from guishu.customers.models import Customer
from guishu.domain import Level, ReclaimRule, RejectionCode, reclaim_forecast
from guishu.ops.models import ScheduledRun
from guishu.ops.schedule import DailyJob, Scheduler, daily_jobs, enqueue_due_jobs
from guishu.ownership.engine_io import load_state
from guishu.ownership.models import Ownership, OwnershipEvent, ReclaimWarning
from guishu.ownership.policies import policy_in_force
from guishu.ownership.services import customer_lock, customer_reclaim, pool_claim
from guishu.ownership.sweep import ownership_sweep
from tests.concurrency import run_together
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing

# Microseconds on purpose: SQLite compares datetimes as text, and must still get them right.
NOW = datetime(2026, 11, 20, 3, 0, 0, 123456, tzinfo=UTC)
# Windows counted back from here span the Spring Festival (2027-02-05 to 02-11), when the
# default policy's clocks pause.
AFTER_SPRING_FESTIVAL = datetime(2027, 2, 20, 3, 0, 0, 123456, tzinfo=UTC)
MOMENTS = [NOW, AFTER_SPRING_FESTIVAL]
DAY = timedelta(days=1)


def owned(
    user,
    *,
    level: str = "C",
    registered: int,
    followed_up: int | None = None,
    kind: str = "call",
    deal: int | None = None,
    locked: bool = False,
    now: datetime = NOW,
) -> Customer:
    """A customer `user` registered `registered` days before `now`, worked through the real
    services: a follow-up of `kind` and a won deal so many days ago, a lock."""
    customer = register(user, level=level, now=now - registered * DAY)
    if followed_up is not None:
        at = now - followed_up * DAY
        assert activity_log(
            user=user, customer_id=customer.pk, kind=kind, occurred_at=at, now=at
        ).ownership.accepted
    if deal is not None:
        at = now - deal * DAY
        assert order_record(
            user=user,
            customer_id=customer.pk,
            number=f"SO-{customer.pk}",
            amount=Decimal("100.00"),
            ordered_at=at,
            now=at,
        ).ownership.accepted
    if locked:
        assert customer_lock(user=user, customer_id=customer.pk, now=now).accepted
    return customer


def active_term(customer: Customer) -> Ownership | None:
    return Ownership.objects.filter(customer=customer, ended_at__isnull=True).first()


def reclaimed_rules() -> dict[int, str]:
    return dict(
        OwnershipEvent.objects.filter(kind="reclaimed").values_list("customer_id", "evidence__rule")
    )


def warnings() -> dict[int, tuple[str, datetime]]:
    return {
        w.customer_id: (w.rule, w.due_at) for w in ReclaimWarning.objects.order_by("customer_id")
    }


def test_the_sweep_reclaims_what_is_due_by_rule_and_level_and_warns_what_is_near(cast):
    alice, bob = cast.alice, cast.bob
    a_due = owned(alice, level="A", registered=40, followed_up=16)
    a_near = owned(alice, level="A", registered=40, followed_up=14)
    b_due = owned(bob, level="B", registered=40, followed_up=31)
    b_later = owned(bob, level="B", registered=40, followed_up=25)
    c_due = owned(alice, level="C", registered=61)
    c_near = owned(alice, level="C", registered=59)
    catalog_only = owned(bob, level="A", registered=40, followed_up=1, kind="catalog_sent")
    no_deal = owned(alice, level="C", registered=91, followed_up=1)
    won = owned(bob, level="C", registered=120, followed_up=1, deal=100)
    protected = owned(alice, level="A", registered=20)
    protection_ends_soon = owned(bob, level="A", registered=28)
    locked = owned(alice, level="C", registered=200, locked=True)

    report = ownership_sweep(now=NOW, batch_size=3)

    assert reclaimed_rules() == {
        a_due.pk: "no_follow_up",
        b_due.pk: "no_follow_up",
        c_due.pk: "no_follow_up",
        catalog_only.pk: "no_follow_up",
        no_deal.pk: "no_deal",
    }
    assert report.reclaimed == {ReclaimRule.NO_FOLLOW_UP: 4, ReclaimRule.NO_DEAL: 1}
    for customer in (a_due, b_due, c_due, catalog_only, no_deal):
        assert active_term(customer) is None
    for customer in (a_near, b_later, c_near, won, protected, protection_ends_soon, locked):
        assert active_term(customer) is not None
    protection_end = active_term(protection_ends_soon).protected_until
    assert warnings() == {
        a_near.pk: ("no_follow_up", NOW - 14 * DAY + 15 * DAY),
        c_near.pk: ("no_follow_up", NOW - 59 * DAY + 60 * DAY),
        protection_ends_soon.pk: ("no_follow_up", protection_end),
    }
    assert report.warned == 3 and report.raced == 0


def test_a_swept_reclaim_writes_what_customer_reclaim_writes(cast):
    by_service = owned(cast.alice, level="B", registered=45, followed_up=33)
    by_sweep = owned(cast.alice, level="B", registered=45, followed_up=33)
    assert customer_reclaim(
        customer_id=by_service.pk, rule=ReclaimRule.NO_FOLLOW_UP, now=NOW
    ).accepted
    ownership_sweep(now=NOW)

    fields = ["kind", "at", "actor", "from_owner", "to_owner", "protected_until", "trace"]
    fields.append("evidence")
    service_event, sweep_event = (
        OwnershipEvent.objects.filter(customer=c, kind="reclaimed").values(*fields).get()
        for c in (by_service, by_sweep)
    )
    assert sweep_event == service_event
    service_term, sweep_term = (
        Ownership.objects.filter(customer=c).values("ended_at", "end_reason").get()
        for c in (by_service, by_sweep)
    )
    assert sweep_term == service_term == {"ended_at": NOW, "end_reason": "reclaimed"}
    # The former owner's cool-down follows from the ended term, as after any reclaim.
    refused = pool_claim(user=cast.alice, customer_id=by_sweep.pk, now=NOW + DAY)
    assert refused.rejection is not None and refused.rejection.code is RejectionCode.COOL_DOWN
    assert pool_claim(user=cast.bob, customer_id=by_sweep.pk, now=NOW + DAY).accepted


def test_a_dry_run_lists_what_would_happen_and_writes_nothing(cast):
    due = owned(cast.alice, level="A", registered=40, followed_up=20)
    near = owned(cast.bob, level="C", registered=58)
    rows = (Ownership.objects.filter(ended_at__isnull=True).count(), OwnershipEvent.objects.count())

    report = ownership_sweep(now=NOW, dry_run=True)

    assert [(p.action, p.customer_id, p.owner_name, p.rule) for p in report.planned] == [
        ("reclaim", due.pk, "Alice", ReclaimRule.NO_FOLLOW_UP),
        ("warn", near.pk, "Bob", ReclaimRule.NO_FOLLOW_UP),
    ]
    assert report.reclaimed_total == 1 and report.warned == 1
    assert rows == (
        Ownership.objects.filter(ended_at__isnull=True).count(),
        OwnershipEvent.objects.count(),
    )
    assert not ReclaimWarning.objects.exists()


def test_a_second_sweep_changes_nothing(cast):
    owned(cast.alice, level="A", registered=40, followed_up=20)
    owned(cast.bob, level="C", registered=58)
    first = ownership_sweep(now=NOW)
    rows = (Ownership.objects.filter(ended_at__isnull=True).count(), OwnershipEvent.objects.count())
    second = ownership_sweep(now=NOW + timedelta(hours=1))
    assert (first.reclaimed_total, first.warned) == (1, 1)
    assert (second.reclaimed_total, second.warned, second.raced) == (0, 0, 0)
    assert rows == (
        Ownership.objects.filter(ended_at__isnull=True).count(),
        OwnershipEvent.objects.count(),
    )
    assert ReclaimWarning.objects.count() == 1
    again = ownership_sweep(now=NOW + timedelta(hours=2), dry_run=True)
    assert (again.reclaimed_total, again.warned, again.planned) == (0, 0, [])


def test_a_follow_up_moves_the_due_date_and_earns_a_fresh_warning(cast):
    customer = owned(cast.alice, level="A", registered=40, followed_up=13)
    ownership_sweep(now=NOW)
    later = NOW + 13 * DAY
    assert activity_log(
        user=cast.alice, customer_id=customer.pk, kind="call", occurred_at=NOW, now=NOW
    ).ownership.accepted
    ownership_sweep(now=later)
    assert list(ReclaimWarning.objects.order_by("due_at").values_list("due_at", flat=True)) == [
        NOW - 13 * DAY + 15 * DAY,
        NOW + 15 * DAY,
    ]


def test_the_command_prints_the_report_and_sweeps_as_of_the_moment_given(cast):
    customer = owned(cast.alice, level="A", registered=40, followed_up=20, now=timezone.now())
    customer.name = "Mueller Industrietechnik GmbH"
    customer.save(update_fields=["name"])
    out = StringIO()
    with translation.override("en"):
        call_command("sweep", "--dry-run", stdout=out)
    assert "Would be reclaimed: 1 (no valid follow-up 1, no deal 0)" in out.getvalue()
    assert "would reclaim Mueller Industrietechnik GmbH from Alice: no valid follow-up" in (
        out.getvalue()
    )
    assert active_term(customer) is not None

    out = StringIO()
    with translation.override("en"):
        call_command("sweep", "--at", (timezone.now() - 10 * DAY).isoformat(), stdout=out)
    assert "Reclaimed: 0 (" in out.getvalue() and active_term(customer) is not None
    with translation.override("en"):
        call_command("sweep", stdout=out)
    assert "Reclaimed: 1 (no valid follow-up 1, no deal 0)" in out.getvalue()
    assert active_term(customer) is None


# --- The sweep reclaims exactly what the engine forecasts ------------------------------------

# Offsets cluster around the windows (15/30/60 days, 90 without a deal, 3 of warning, 30 of
# protection), exactly on them and half a day either side, so the boundaries get exercised.
NEAR_WINDOWS = st.sampled_from([0, 3, 12, 15, 18, 27, 30, 33, 57, 60, 63, 87, 90, 93, 200])
AGO = st.builds(
    lambda days, jitter: days * DAY + jitter * timedelta(hours=12),
    NEAR_WINDOWS,
    st.sampled_from([-1, 0, 0, 1]),
).filter(lambda offset: offset >= timedelta(0))
AHEAD = st.builds(lambda ago, sign: sign * ago, AGO, st.sampled_from([-1, 1]))
TERM_SPECS = st.fixed_dictionaries(
    {
        "level": st.sampled_from(list(Level)),
        "started": AGO,
        "followed_up": st.none() | AGO,
        "deal": st.booleans(),
        "protected_until": st.none() | AHEAD,
        "locked": st.integers(0, 9).map(lambda n: n == 0),
    }
)


def spec(level: str = "C", started: int = 200, followed_up: int | None = None, **other: Any):
    """A term written in whole days, for the boundary cases pinned below."""
    return {
        "level": Level(level),
        "started": started * DAY,
        "followed_up": None if followed_up is None else followed_up * DAY,
        "deal": other.get("deal", False),
        "protected_until": other["protected"] * DAY if "protected" in other else None,
        "locked": other.get("locked", False),
    }


# Each rule exactly at its due moment and exactly at the start of its warning window.
BOUNDARIES = [
    spec("A", started=40, followed_up=15),
    spec("A", started=40, followed_up=12),
    spec("B", started=40, followed_up=30, deal=True),
    spec("C", started=60),
    spec("C", started=57),
    spec("C", started=90, followed_up=1),
    spec("C", started=87, followed_up=1),
    spec("A", started=20, protected=0),
    spec("A", started=20, protected=3),
    spec("A", started=20, protected=4),
    spec("C", started=200, locked=True),
]


def term_from_spec(owner, spec: dict[str, Any], now: datetime) -> Customer:
    # Arbitrary clocks cannot be reached through the services in a test's time, so this one
    # test writes the rows directly: the property is about the sweep reading them right.
    customer = Customer.objects.create(name="Spec Ltd", level=spec["level"], created_by=owner)
    started = now - spec["started"]
    Ownership.objects.create(
        customer=customer,
        owner=owner,
        basis="registered",
        started_at=started,
        last_follow_up_at=now - spec["followed_up"] if spec["followed_up"] is not None else None,
        deal_won_at=started if spec["deal"] else None,
        protected_until=(
            now + spec["protected_until"] if spec["protected_until"] is not None else None
        ),
        locked_at=started if spec["locked"] else None,
    )
    return customer


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(specs=st.lists(TERM_SPECS, min_size=1, max_size=6), now=st.sampled_from(MOMENTS))
@example(specs=BOUNDARIES, now=NOW)
@example(specs=BOUNDARIES, now=AFTER_SPRING_FESTIVAL)
def test_the_sweep_reclaims_and_warns_exactly_as_the_engine_forecasts(cast, specs, now):
    policy = policy_in_force(at=now)
    customers = [term_from_spec(cast.dave, spec, now) for spec in specs]
    forecasts = {c.pk: reclaim_forecast(load_state(c)[0], policy) for c in customers}

    ownership_sweep(now=now, batch_size=4)

    events = {
        e.customer_id: e
        for e in OwnershipEvent.objects.filter(customer__in=customers, kind="reclaimed")
    }
    warned = {w.customer_id: w for w in ReclaimWarning.objects.filter(customer__in=customers)}
    for customer in customers:
        forecast = forecasts[customer.pk]
        due = forecast is not None and forecast.due_at <= now
        near = forecast is not None and not due and forecast.warn_at <= now
        assert (customer.pk in events) is due, forecast
        assert (active_term(customer) is None) is due
        if due:
            assert events[customer.pk].evidence["rule"] == forecast.rule.value
        assert (customer.pk in warned) is near, forecast
        if near:
            assert (warned[customer.pk].rule, warned[customer.pk].due_at) == (
                forecast.rule.value,
                forecast.due_at,
            )


# --- Real concurrency: threads on their own connections (transactional tests) ----------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_reclaim_and_warn_each_customer_once(allow_flush: None):
    reps = [make_user(f"rep{i}") for i in range(3)]
    now = timezone.now()
    due = [owned(reps[i % 3], level="A", registered=40, now=now) for i in range(60)]
    near = [owned(reps[i % 3], level="C", registered=58, now=now) for i in range(20)]

    reports, errors = run_together(
        [lambda: ownership_sweep(now=now, batch_size=7) for _ in range(2)]
    )

    assert errors == []
    assert sum(r.reclaimed_total for r in reports) == len(due)
    assert sum(r.warned for r in reports) == len(near)
    reclaimed = list(OwnershipEvent.objects.filter(kind="reclaimed").values_list("customer_id"))
    assert sorted(reclaimed) == sorted((c.pk,) for c in due)
    assert not Ownership.objects.filter(customer__in=due, ended_at__isnull=True).exists()
    assert ReclaimWarning.objects.count() == len(near)


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_that_commits_first_always_beats_the_sweep(allow_flush: None):
    """Reps work their overdue customers while the sweep runs. Whoever commits first wins: a
    follow-up that went in keeps the customer, one that came too late is refused cleanly (the
    customer is in the pool), and no reclaimed customer had a follow-up within the window."""
    reps = [make_user(f"rep{i}") for i in range(3)]
    now = timezone.now()
    window = policy_in_force().follow_up_window(Level.A)
    customers = [owned(reps[i % 3], level="A", registered=40, now=now) for i in range(90)]
    owner_of = {c.pk: reps[i % 3] for i, c in enumerate(customers)}

    def follow_up_all(rep, mine):  # type: ignore[no-untyped-def]
        # Each rep works from the far end, so the sweep's batches meet them in the middle.
        results = {}
        for customer in reversed(mine):
            result = activity_log(
                user=rep, customer_id=customer.pk, kind="call", occurred_at=now, now=now
            )
            results[customer.pk] = result.ownership
        return results

    def sweep():  # type: ignore[no-untyped-def]
        return ownership_sweep(now=now, batch_size=5)

    work: list[Callable[[], Any]] = [sweep]
    for rep in reps:
        mine = [c for c in customers if owner_of[c.pk] == rep]
        work.append(lambda rep=rep, mine=mine: follow_up_all(rep, mine))
    results, errors = run_together(work)

    assert errors == []
    outcomes = {pk: r for result in results if isinstance(result, dict) for pk, r in result.items()}
    reclaimed = set(
        OwnershipEvent.objects.filter(kind="reclaimed").values_list("customer_id", flat=True)
    )
    for customer in customers:
        outcome = outcomes[customer.pk]
        if outcome.accepted:
            assert customer.pk not in reclaimed, "a follow-up that committed first was overridden"
            assert active_term(customer).last_follow_up_at == now
        else:
            assert outcome.rejection.code is RejectionCode.IN_POOL
            assert customer.pk in reclaimed
    for pk in reclaimed:
        worked = Activity.objects.filter(customer_id=pk, occurred_at__gt=now - window)
        assert not worked.exists(), "a reclaimed customer had a follow-up within the window"
    report = next(result for result in results if not isinstance(result, dict))
    assert report.reclaimed_total == len(reclaimed)


# --- The daily schedule and the worker --------------------------------------------------------


def company_time(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))  # settings.TIME_ZONE, Asia/Shanghai by default


SWEEP_TASK = "guishu.ownership.tasks.ownership_sweep_task"


def sweep_job() -> list[DailyJob]:
    return [job for job in daily_jobs() if job.name == "ownership_sweep"]


def test_the_sweep_is_a_daily_job_at_two_in_the_morning():
    assert [(job.at, job.task.module_path) for job in sweep_job()] == [(time(2, 0), SWEEP_TASK)]


def test_the_daily_sweep_is_enqueued_from_two_in_the_morning_company_time(db):
    def enqueue(*at: int) -> list[ScheduledRun]:
        return enqueue_due_jobs(now=company_time(*at), jobs=sweep_job())

    assert enqueue(2026, 11, 20, 1, 59) == []
    assert [run.job for run in enqueue(2026, 11, 20, 2, 0)] == ["ownership_sweep"]
    assert enqueue(2026, 11, 20, 23, 59) == []
    # 01:00 in Shanghai is 17:00 UTC the day before: it is the company's date that counts.
    assert enqueue(2026, 11, 21, 1, 0) == []
    assert len(enqueue(2026, 11, 21, 9, 30)) == 1
    assert list(ScheduledRun.objects.order_by("run_on").values_list("run_on", flat=True)) == [
        datetime(2026, 11, 20).date(),
        datetime(2026, 11, 21).date(),
    ]
    task_paths = DBTaskResult.objects.values_list("task_path", flat=True)
    assert list(task_paths) == [SWEEP_TASK] * 2


@pytest.mark.django_db(transaction=True)
def test_many_workers_asking_at_once_enqueue_the_daily_sweep_once(allow_flush: None):
    at = company_time(2026, 11, 20, 2, 0, 5)
    claimed, errors = run_together(
        [lambda: enqueue_due_jobs(now=at, jobs=sweep_job()) for _ in range(8)]
    )
    assert errors == []
    assert sum(len(runs) for runs in claimed) == 1
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=SWEEP_TASK).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_daily_sweep_it_schedules(allow_flush: None):
    rep = make_user("rep")
    frozen = company_time(2026, 11, 20, 2, 30)
    with time_machine.travel(frozen, tick=False):
        due = owned(rep, level="A", registered=40, now=frozen)
        kept = owned(rep, level="A", registered=40, followed_up=1, now=frozen)
        call_command("worker", "--batch")
    result = DBTaskResult.objects.get(task_path=SWEEP_TASK)
    assert result.status == "SUCCESSFUL", result.traceback
    assert result.return_value["reclaimed"] == {"no_follow_up": 1, "no_deal": 0}
    assert active_term(due) is None and active_term(kept) is not None
    assert ScheduledRun.objects.get(job="ownership_sweep").task_result_id == str(result.id)


@pytest.mark.django_db(transaction=True)
def test_the_worker_scheduler_thread_claims_the_day_on_its_own_connection(allow_flush: None):
    scheduler = Scheduler(interval=0.05)
    with time_machine.travel(company_time(2026, 11, 20, 3, 0), tick=True):
        scheduler.start()
        try:
            for _ in range(100):
                if ScheduledRun.objects.filter(job="ownership_sweep").exists():
                    break
                threading.Event().wait(0.05)
        finally:
            scheduler.stop()
    assert list(ScheduledRun.objects.values_list("job", "run_on")) == [
        ("ownership_sweep", datetime(2026, 11, 20).date())
    ]
    assert DBTaskResult.objects.filter(task_path=SWEEP_TASK).count() == 1
