"""Classification, cadence, complaints, plans, time and the weekly digest, on the database,
with fixed dates. A rep sees their own; a manager their team; another rep's answers nothing."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from guishu.activities.services import activity_log, order_record
from guishu.customers.models import Customer
from guishu.discipline.cadence import overdue_for
from guishu.discipline.models import (
    Classification,
    ClassificationChange,
    Complaint,
    OverdueNotice,
    TimeEntry,
)
from guishu.discipline.selectors import (
    complaint_loyalty_for,
    complaints_visible_to,
    plan_of,
    plan_progress,
    portfolio_for,
    time_report,
)
from guishu.discipline.services import (
    ClassificationInput,
    ComplaintRefused,
    classification_evaluate,
    classification_set,
    classifications_evaluate_due,
    complaint_open,
    complaint_resolve,
    overdue_digest_send,
    plan_generate,
    time_entry_add,
)
from guishu.discipline.tasks import discipline_daily
from guishu.domain.time_use import Use
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Notification
from guishu.web.trace import translate_trace
from tests.factories import register

pytestmark = pytest.mark.db_facing

# Monday 16 November 2026, 10:00 in Shanghai.
NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def text(lines) -> str:  # type: ignore[no-untyped-def]
    with override("en"):
        return "; ".join(translate_trace(line) for line in lines)


def test_potential_by_rule_writes_the_level_and_records_who_and_why(cast):
    acme = register(cast.alice, "Acme Tools", now=ago(100))
    row = classification_set(
        user=cast.alice,
        customer_id=acme.pk,
        data=ClassificationInput(
            potential_estimate=Decimal(1_200_000),
            monthly_volume=Decimal(90_000),
            margin=Decimal(12),
        ),
        now=NOW,
    )
    assert (row.potential, row.potential_source, row.engagement, row.strategy) == (
        "A",
        "rule",
        "earns",
        "let_go",
    )
    assert Customer.objects.get(pk=acme.pk).level == "A"
    change = ClassificationChange.objects.get(customer=acme, field="potential")
    assert (change.before, change.after, change.source, change.by) == ("C", "A", "rule", cast.alice)
    assert "potential A" in text(change.reason)
    assert "type 1, let go" in text(row.engagement_reason)


def test_a_hand_set_potential_needs_a_reason_and_stands_against_the_rule(cast):
    acme = register(cast.alice, "Acme Tools", now=ago(100))
    with pytest.raises(ValidationError):
        classification_set(
            user=cast.carol, customer_id=acme.pk, data=ClassificationInput(potential="B"), now=NOW
        )
    row = classification_set(
        user=cast.carol,
        customer_id=acme.pk,
        data=ClassificationInput(potential="B", note="new plant opening in 2027"),
        now=NOW,
    )
    assert (row.potential, row.potential_source) == ("B", "hand")
    assert (
        text(row.potential_reason)
        == "set by hand by Carol on 2026-11-16: new plant opening in 2027"
    )
    row = classification_evaluate(customer_id=acme.pk, now=NOW + timedelta(days=40))
    assert (row.potential, Customer.objects.get(pk=acme.pk).level) == ("B", "B")
    row = classification_set(
        user=cast.alice, customer_id=acme.pk, data=ClassificationInput(potential="rule"), now=NOW
    )
    assert (row.potential, row.potential_source) == ("C", "rule")


def test_only_the_owner_and_those_over_them_classify(cast, wendy):
    acme = register(cast.alice, "Acme Tools", now=ago(100))
    data = ClassificationInput(employees=20)
    for outsider in (cast.bob, cast.dave, wendy):
        with pytest.raises(Customer.DoesNotExist):
            classification_set(user=outsider, customer_id=acme.pk, data=data, now=NOW)
    for insider in (cast.alice, cast.carol, cast.diana, cast.admin):
        classification_set(user=insider, customer_id=acme.pk, data=data, now=NOW)


def test_the_schedule_evaluates_new_and_stale_classifications_only(cast):
    fresh = register(cast.alice, "Fresh Ltd", now=ago(10))
    register(cast.alice, "Never Ltd", now=ago(10))
    classification_evaluate(customer_id=fresh.pk, now=NOW)
    assert classifications_evaluate_due(now=NOW) == 1  # Never Ltd
    assert classifications_evaluate_due(now=NOW) == 0
    assert classifications_evaluate_due(now=NOW + timedelta(days=31)) == 2
    assert Classification.objects.count() == 2


def test_overdue_for_a_rep_is_their_own_and_a_manager_sees_the_team(cast, wendy):
    acme = register(cast.alice, "Acme Tools", now=ago(100))
    recent = register(cast.alice, "Recent Ltd", now=ago(100))
    bobs = register(cast.bob, "Bob Corp", now=ago(100))
    register(cast.dave, "Delta Trading", now=ago(100))
    activity_log(
        user=cast.alice, customer_id=recent.pk, kind="call", occurred_at=ago(5), now=ago(5)
    )
    # A catalog is not a contact (the policy's valid follow-up kinds).
    activity_log(
        user=cast.alice, customer_id=acme.pk, kind="catalog_sent", occurred_at=ago(5), now=ago(5)
    )
    alices = overdue_for(cast.alice, NOW)
    assert [row.name for row in alices] == ["Acme Tools"]
    assert alices[0].status.days_overdue == 10  # C: every 90 days since taken 100 days ago
    assert "no contact since it was taken on 2026-08-08" in text(alices[0].reason)
    assert {row.name for row in overdue_for(cast.carol, NOW)} == {"Acme Tools", "Bob Corp"}
    assert {row.name for row in overdue_for(wendy, NOW)} == {"Delta Trading"}
    assert len(overdue_for(cast.diana, NOW)) == 3
    assert bobs.pk not in {row.customer_id for row in alices}


def test_a_delivery_is_followed_up_within_seven_days(cast):
    acme = register(cast.alice, "Acme Tools", now=ago(30))
    activity_log(
        user=cast.alice, customer_id=acme.pk, kind="call", occurred_at=ago(20), now=ago(20)
    )
    order_record(
        user=cast.alice,
        customer_id=acme.pk,
        number="SO-1",
        amount=Decimal(5000),
        ordered_at=ago(9),
        now=ago(9),
    )
    [row] = overdue_for(cast.alice, NOW)
    assert row.status.due.value == "after_sales" and row.status.days_overdue == 2
    activity_log(user=cast.alice, customer_id=acme.pk, kind="call", occurred_at=ago(1), now=ago(1))
    assert overdue_for(cast.alice, NOW) == []


def test_complaints_from_receipt_to_resolution_and_loyalty(cast, wendy):
    acme = register(cast.alice, "Acme Tools", now=ago(500))
    complaint = complaint_open(
        user=cast.alice,
        customer_id=acme.pk,
        summary="late delivery",
        received_at=ago(450),
        now=ago(450),
    )
    assert complaint.handler == cast.alice and complaint.deadline == ago(443)
    assert list(complaints_visible_to(cast.carol)) == [complaint]
    assert list(complaints_visible_to(cast.bob)) == []
    assert list(complaints_visible_to(wendy)) == []
    with pytest.raises(PermissionDenied):
        complaint_resolve(user=cast.bob, complaint_id=complaint.pk, outcome="x", now=ago(440))
    complaint_resolve(
        user=cast.alice, complaint_id=complaint.pk, outcome="replaced the goods", now=ago(440)
    )
    with pytest.raises(ComplaintRefused):
        complaint_resolve(user=cast.carol, complaint_id=complaint.pk, outcome="again", now=ago(439))
    assert Complaint.objects.get(pk=complaint.pk).status == "resolved"
    order_record(
        user=cast.alice,
        customer_id=acme.pk,
        number="SO-2",
        amount=Decimal(100),
        ordered_at=ago(300),
        now=ago(300),
    )
    loyalty = complaint_loyalty_for(cast.carol, NOW)
    assert (loyalty.resolved.loyal, loyalty.resolved.rate) == (1, 100.0)
    with pytest.raises(ValidationError):
        complaint_open(user=cast.alice, customer_id=acme.pk, summary=" ", now=NOW)
    with pytest.raises(Customer.DoesNotExist):
        complaint_open(user=cast.dave, customer_id=acme.pk, summary="x", now=NOW)


def test_the_weekly_plan_and_plan_vs_actual(cast, wendy):
    overdue = register(cast.alice, "Overdue Ltd", now=ago(100))
    register(cast.alice, "Calm Ltd", now=ago(1))
    plan = plan_generate(user=cast.alice, now=NOW)
    assert plan.week_start == date(2026, 11, 16) and plan.planned_slots == 24
    assert [item.customer_id for item in plan.items.all()] == [overdue.pk]
    activity_log(
        user=cast.alice,
        customer_id=overdue.pk,
        kind="visit",
        occurred_at=NOW + timedelta(hours=1),
        now=NOW + timedelta(hours=2),
    )
    progress = plan_progress(plan)
    assert (progress.planned, progress.done, progress.unplanned) == (1, 1, 0)
    assert plan_of(cast.carol, cast.alice.pk, plan.week_start) == plan
    with pytest.raises(type(plan).DoesNotExist):
        plan_of(wendy, cast.alice.pk, plan.week_start)
    with pytest.raises(PermissionDenied):
        plan_generate(user=cast.bob, rep_id=cast.alice.pk, now=NOW)
    with pytest.raises(ValidationError):
        plan_generate(user=cast.alice, week_start=date(2026, 11, 9), now=NOW)
    again = plan_generate(user=cast.carol, rep_id=cast.alice.pk, now=NOW)
    assert again.pk == plan.pk and again.generated_by == cast.carol


def test_time_accounting_per_rep_and_team(cast):
    acme = register(cast.alice, "Acme Tools", now=ago(30))
    # Monday 9 to Friday 13 November: 5 working days, 2,400 minutes each.
    activity_log(
        user=cast.alice,
        customer_id=acme.pk,
        kind="visit",
        occurred_at=ago(6),
        duration_minutes=240,
        now=ago(6),
    )
    time_entry_add(user=cast.alice, on=date(2026, 11, 10), use="admin", minutes=600, now=NOW)
    time_entry_add(user=cast.bob, on=date(2026, 11, 10), use="travel", minutes=120, now=NOW)
    with pytest.raises(ValidationError):
        time_entry_add(user=cast.bob, on=date(2026, 11, 20), use="travel", minutes=10, now=NOW)
    with pytest.raises(ValidationError):
        time_entry_add(user=cast.bob, on=date(2026, 11, 10), use="napping", minutes=10, now=NOW)
    mine = time_report(cast.alice, date(2026, 11, 9), date(2026, 11, 15))
    assert set(mine.accounts) == {cast.alice.pk}
    alice = mine.accounts[cast.alice.pk]
    assert (alice.available, alice.minutes[Use.SELLING], alice.selling_share) == (2400, 240, 10.0)
    team = time_report(cast.carol, date(2026, 11, 9), date(2026, 11, 15))
    assert set(team.accounts) == {cast.alice.pk, cast.bob.pk, cast.carol.pk}
    assert team.team.available == 7200 and team.team.minutes[Use.TRAVEL] == 120
    assert TimeEntry.objects.count() == 2


def test_portfolio_by_strategy_and_time_spent(cast):
    acme = register(cast.alice, "Acme Tools", now=ago(30))
    register(cast.bob, "Bob Corp", now=ago(30))
    classification_set(
        user=cast.alice,
        customer_id=acme.pk,
        data=ClassificationInput(monthly_volume=Decimal(40_000)),
        now=NOW,
    )
    activity_log(
        user=cast.alice,
        customer_id=acme.pk,
        kind="call",
        occurred_at=ago(2),
        duration_minutes=25,
        now=ago(2),
    )
    portfolio = portfolio_for(cast.carol, NOW)
    assert portfolio.total == 2
    assert portfolio.by_strategy == {"dig_in": 1, "unclassified": 1}
    assert portfolio.minutes[cast.alice.pk] == {"dig_in": 25}
    assert portfolio_for(cast.bob, NOW).by_strategy == {"unclassified": 1}


def test_the_weekly_digest_tells_managers_once(cast, wendy):
    register(cast.alice, "Acme Tools", now=ago(100))
    register(cast.dave, "Delta Trading", now=ago(100))
    assert overdue_digest_send(now=NOW) == 2
    assert overdue_digest_send(now=NOW) == 0
    assert set(OverdueNotice.objects.values_list("manager__username", flat=True)) == {
        "carol",
        "wendy",
    }
    notifications_fanout(now=NOW)
    notice = Notification.objects.get(recipient=cast.carol, kind="cadence_overdue")
    assert notice.params["customer"] == "Acme Tools"
    assert not Notification.objects.filter(recipient=cast.alice, kind="cadence_overdue").exists()


def test_the_daily_job_sends_the_digest_on_mondays_only(cast):
    register(cast.alice, "Acme Tools", now=ago(100))
    assert discipline_daily(now=NOW + timedelta(days=1))["overdue_notices"] is None
    assert discipline_daily(now=NOW)["overdue_notices"] == 1


def test_the_overdue_list_costs_the_same_queries_for_3_customers_or_12(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            overdue_for(cast.carol, NOW)
        return len(captured)

    for n in range(3):
        register(cast.alice if n % 2 else cast.bob, f"Few {n} Ltd", now=ago(100))
    few = queries()
    for n in range(9):
        register(cast.alice if n % 2 else cast.bob, f"Many {n} Ltd", now=ago(100))
    assert len(overdue_for(cast.carol, NOW)) == 12
    assert queries() == few


def test_overdue_rows_fit_the_home_pages_slot(cast):
    acme = register(cast.alice, "Acme Tools", now=ago(100))
    [row] = overdue_for(cast.alice, NOW)
    assert (row.customer.pk, row.customer.name) == (acme.pk, "Acme Tools")
    with override("en"):
        assert row.why == (
            "level C: contact at least every 90 days; no contact since it was taken on "
            "2026-08-08: due 2026-11-06; overdue by 10 days"
        )
