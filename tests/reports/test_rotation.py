"""Rotation impact: moved customers' revenue before and after past handovers, by hand."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from guishu.ownership.models import HandoverItem, HandoverPlan
from guishu.reports.rotation import rotation_impact
from guishu.reports.scope import period_of
from tests.factories import make_user, register
from tests.reports.builders import Q3, order

pytestmark = pytest.mark.db_facing
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _day(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 4, tzinfo=UTC)


def _handover(rep, closed_at, items, by):
    plan = HandoverPlan.objects.create(
        rep=rep,
        effective_on=closed_at.date(),
        status=HandoverPlan.Status.EXECUTED,
        created_by=by,
        created_at=closed_at,
        closed_at=closed_at,
        closed_by=by,
    )
    for customer, to in items:
        HandoverItem.objects.create(
            plan=plan, customer=customer, choice="reassign" if to else "pool", to=to
        )
    return plan


@pytest.fixture
def rotated(cast, wendy):
    erin = make_user("erin", team=cast.west, display_name="Erin")
    beta = register(cast.bob, "Beta Rotated Ltd")
    eps = register(cast.bob, "Eps Rotated Ltd")
    delta = register(cast.dave, "Delta Rotated Ltd")
    order(beta, {cast.bob: "5000"}, at=_day(6, 1))  # before the 30-day window
    order(beta, {cast.bob: "1000"}, at=_day(7, 10))
    order(beta, {cast.alice: "600"}, at=_day(8, 15))
    order(eps, {cast.bob: "400"}, at=_day(7, 20))
    order(delta, {cast.dave: "1000"}, at=_day(8, 20))
    order(delta, {erin: "1500"}, at=_day(9, 10))
    _handover(cast.bob, _day(8, 1), [(beta, cast.alice), (eps, None)], cast.carol)
    _handover(cast.dave, _day(9, 1), [(delta, erin)], wendy)
    return cast


def _rows(report):
    return [(h.rep, h.customers, h.before, h.after, h.partial) for h in report.handovers]


def test_revenue_before_and_after_each_handover(rotated):
    report = rotation_impact(viewer=rotated.diana, period=Q3, window_days=30, now=NOW)
    assert _rows(report) == [
        ("Dave", 1, Decimal(1000), Decimal(1500), False),
        ("Bob", 2, Decimal(1400), Decimal(600), False),
    ]
    assert round(report.handovers[1].retained, 4) == 0.4286
    assert (report.total.customers, report.total.before, report.total.after) == (
        3,
        Decimal(2400),
        Decimal(2100),
    )
    longer = rotation_impact(viewer=rotated.diana, period=Q3, window_days=180, now=NOW)
    assert longer.handovers[1].before == Decimal(6400) and longer.total.partial


def test_each_role_sees_the_handovers_of_its_people(rotated, wendy):
    def seen(viewer):
        return _rows(rotation_impact(viewer=viewer, period=Q3, window_days=30, now=NOW))

    assert [r[0] for r in seen(rotated.carol)] == ["Bob"]
    assert [r[0] for r in seen(wendy)] == ["Dave"]
    assert seen(rotated.alice) == [("Bob", 1, Decimal(1000), Decimal(600), False)]
    assert [r[0] for r in seen(rotated.dave)] == ["Dave"]
    assert seen(rotated.bob) == [("Bob", 2, Decimal(1400), Decimal(600), False)]


def test_handovers_outside_the_period_are_left_out(rotated):
    october = period_of(date(2026, 10, 1), date(2026, 10, 31))
    assert rotation_impact(viewer=rotated.diana, period=october, now=NOW).handovers == []
