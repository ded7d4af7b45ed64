"""New, existing and incremental sales by rep and team, worked out by hand."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guishu.activities.models import Order
from guishu.reports.sales import sales_mix
from tests.factories import register
from tests.reports.builders import BEFORE_Q3, Q3, order

pytestmark = pytest.mark.db_facing


@pytest.fixture
def sales(cast):
    acme = register(cast.alice, "Acme Sales Ltd")
    beta = register(cast.bob, "Beta Sales Ltd")
    delta = register(cast.dave, "Delta Sales Ltd")
    order(acme, {cast.alice: "1000"}, new=True)
    order(acme, {cast.alice: "500"})
    order(acme, {cast.alice: "200"}, at=BEFORE_Q3)  # the period before: incremental 500 - 200
    order(beta, {cast.bob: "600", cast.alice: "400"})  # a collaborator's share counts as hers
    order(delta, {cast.dave: "700"}, new=True)
    order(delta, {cast.dave: "900"}, at=BEFORE_Q3)
    order(delta, {cast.dave: "5000"}, status=Order.Status.CANCELLED)  # never counted
    order(delta, {cast.dave: "300"}, currency="EUR")  # another currency: another report
    return cast


def _rows(report):
    return {r.label: (r.new, r.existing, r.incremental, r.total) for r in report.reps}


def test_a_director_sees_every_rep_with_new_existing_and_incremental(sales):
    report = sales_mix(viewer=sales.diana, period=Q3)
    assert _rows(report) == {
        "Alice": (Decimal(1000), Decimal(900), Decimal(700), Decimal(1900)),
        "Bob": (0, Decimal(600), Decimal(600), Decimal(600)),
        "Dave": (Decimal(700), 0, Decimal(-900), Decimal(700)),
    }
    teams = {r.label: (r.new, r.existing, r.incremental) for r in report.teams}
    assert teams == {
        "East": (Decimal(1000), Decimal(1500), Decimal(1300)),
        "West": (Decimal(700), 0, Decimal(-900)),
    }
    assert (report.total.new, report.total.existing, report.total.total) == (
        Decimal(1700),
        Decimal(1500),
        Decimal(3200),
    )


def test_a_manager_sees_their_team_and_a_rep_only_themselves(sales, wendy):
    assert set(_rows(sales_mix(viewer=sales.carol, period=Q3))) == {"Alice", "Bob"}
    assert set(_rows(sales_mix(viewer=wendy, period=Q3))) == {"Dave"}
    assert set(_rows(sales_mix(viewer=sales.alice, period=Q3))) == {"Alice"}
    assert set(_rows(sales_mix(viewer=sales.dave, period=Q3))) == {"Dave"}


def test_the_team_filter_narrows_within_what_the_viewer_may_see(sales):
    assert set(_rows(sales_mix(viewer=sales.diana, period=Q3, team_id=sales.west.pk))) == {"Dave"}
    with pytest.raises(ValidationError):
        sales_mix(viewer=sales.carol, period=Q3, team_id=sales.west.pk)
    with pytest.raises(ValidationError):
        sales_mix(viewer=sales.alice, period=Q3, team_id=sales.west.pk)


def test_another_currency_is_its_own_report(sales):
    report = sales_mix(viewer=sales.diana, period=Q3, currency="EUR")
    assert _rows(report) == {"Dave": (0, Decimal(300), Decimal(300), Decimal(300))}
