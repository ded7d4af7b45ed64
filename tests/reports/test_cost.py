"""Cost to serve by channel per level and per customer, against margin, by hand."""

from decimal import Decimal

import pytest

from guishu.policies.services import policy_version_save
from guishu.reports.cost import cost_to_serve
from tests.factories import register
from tests.reports.builders import BEFORE_Q3, Q3, order, touches

pytestmark = pytest.mark.db_facing


@pytest.fixture
def served(cast):
    acme = register(cast.alice, "Acme Cost Ltd", level="A")
    delta = register(cast.dave, "Delta Cost Ltd", level="C")
    touches(acme, cast.alice, "in_person")  # 1,000.00
    touches(acme, cast.alice, "phone", 2)  # 20.00
    touches(acme, cast.alice, "email", 10)  # 1.00
    touches(acme, cast.bob, "phone")  # 10.00, Bob's
    touches(acme, cast.alice, "in_person", at=BEFORE_Q3)  # outside the period
    touches(delta, cast.dave, "email", 3)  # 0.30
    order(acme, {cast.alice: "10000"})  # margin 25%: 2,500
    order(delta, {cast.dave: "400"})  # margin 25%: 100
    return cast


def _level(report, level):
    return next(s for s in report.segments if s.level == level)


def test_visits_calls_and_emails_cost_100_1_and_a_hundredth(served):
    report = cost_to_serve(viewer=served.diana, period=Q3)
    a = _level(report, "A")
    assert (a.customers, a.touches["in_person"], a.touches["phone"], a.touches["email"]) == (
        1,
        1,
        3,
        10,
    )
    assert (a.cost, a.revenue, a.margin, a.after_cost) == (
        Decimal("1031.00"),
        Decimal("10000"),
        Decimal("2500.00"),
        Decimal("1469.00"),
    )
    c = _level(report, "C")
    assert (c.customers, c.cost, c.margin) == (1, Decimal("0.30"), Decimal("100.00"))
    assert _level(report, "B").cost == 0
    assert report.total.cost == Decimal("1031.30")
    assert report.weights["in_person"] == 100 and report.weights["email"] == Decimal("0.01")
    assert [(r.label, r.cost, r.revenue) for r in report.top_customers] == [
        ("Acme Cost Ltd", Decimal("1031.00"), Decimal("10000")),
        ("Delta Cost Ltd", Decimal("0.30"), Decimal("400")),
    ]


def test_a_rep_counts_only_their_own_touches_and_sales(served):
    report = cost_to_serve(viewer=served.alice, period=Q3)
    assert _level(report, "A").cost == Decimal("1021.00")
    assert _level(report, "C").customers == 0
    assert [r.label for r in report.top_customers] == ["Acme Cost Ltd"]
    manager = cost_to_serve(viewer=served.carol, period=Q3)
    assert manager.total.cost == Decimal("1031.00")


def test_weights_and_margins_come_from_the_policy(served):
    policy_version_save(
        user=served.admin,
        team=None,
        values={"channel_cost_cents": {"email": 100}, "margin_percent": {"A": 40}},
    )
    report = cost_to_serve(viewer=served.diana, period=Q3)
    a = _level(report, "A")
    assert a.cost == Decimal("1040.00")  # ten e-mails now cost 1.00 each
    assert a.margin == Decimal("4000.00")
    assert _level(report, "C").margin == Decimal("100.00")
