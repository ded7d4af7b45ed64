"""The pipeline by stage: open value, conversion of the period's opportunities, cycle time."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from guishu.activities.models import Activity
from guishu.pipeline.services import (
    opportunity_advance,
    opportunity_close,
    opportunity_open,
    stages_ensure_default,
)
from guishu.reports.pipeline import pipeline_report
from tests.factories import register
from tests.reports.builders import Q3, touches

pytestmark = pytest.mark.db_facing


def _day(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 4, tzinfo=UTC)


@pytest.fixture
def funnel(cast):
    _lead, qualified, quoted, *_ = stages_ensure_default()
    acme = register(cast.alice, "Acme Funnel Ltd")
    delta = register(cast.dave, "Delta Funnel Ltd")
    touches(acme, cast.alice, "phone")
    touches(delta, cast.dave, "phone")
    Activity.objects.create(
        customer=acme, by=cast.alice, kind="quote", channel="email", occurred_at=_day(7, 1)
    )

    def opened(customer, owner, amount, at):
        return opportunity_open(
            user=owner, customer=customer, title="t", amount=Decimal(amount), now=at
        ).pk

    o1 = opened(acme, cast.alice, "1000", _day(7, 5))
    opportunity_advance(user=cast.alice, opportunity_id=o1, stage=qualified, now=_day(7, 10))
    opportunity_advance(user=cast.alice, opportunity_id=o1, stage=quoted, now=_day(7, 20))
    opportunity_close(user=cast.alice, opportunity_id=o1, won=True, now=_day(8, 4))
    o2 = opened(acme, cast.alice, "500", _day(7, 15))
    opportunity_advance(user=cast.alice, opportunity_id=o2, stage=qualified, now=_day(7, 20))
    opportunity_close(user=cast.alice, opportunity_id=o2, won=False, now=_day(8, 1))
    opened(acme, cast.alice, "2000", _day(8, 1))
    o4 = opened(delta, cast.dave, "3000", _day(8, 1))
    opportunity_advance(user=cast.dave, opportunity_id=o4, stage=qualified, now=_day(8, 5))
    return cast


def test_open_value_conversion_win_rate_and_cycle_time(funnel):
    with translation.override("en"):
        report = pipeline_report(viewer=funnel.diana, period=Q3)
    stages = [(s.name, s.open_count, s.open_amount, s.reached) for s in report.stages][:3]
    assert stages == [
        ("Lead", 1, Decimal(2000), 4),
        ("Qualified", 1, Decimal(3000), 3),
        ("Quoted", 0, Decimal(0), 1),
    ]
    assert report.weighted == Decimal("800.00")  # 2000 × 10% + 3000 × 20%
    assert report.conversions[:2] == [0.75, 1 / 3]
    assert (report.opened, report.won, report.lost, report.win_rate) == (4, 1, 1, 0.5)
    assert report.won_amount == Decimal(1000)
    assert report.cycle_days_mean == 30.0 and report.cycle_days_median == 30.0


def test_a_rep_sees_their_own_pipeline(funnel, wendy):
    mine = pipeline_report(viewer=funnel.alice, period=Q3)
    assert [s.reached for s in mine.stages][:3] == [3, 2, 1]
    assert mine.weighted == Decimal("200.00")
    assert pipeline_report(viewer=wendy, period=Q3).opened == 1
    assert pipeline_report(viewer=funnel.carol, period=Q3).opened == 3
    assert pipeline_report(viewer=funnel.bob, period=Q3).opened == 0
