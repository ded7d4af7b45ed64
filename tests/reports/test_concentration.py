"""Relationship concentration: the top reps' share, single-contact customers, and the decision
chains of key accounts, by hand."""

from decimal import Decimal

import pytest

from guishu.customers.models import Contact
from guishu.reports.concentration import concentration
from tests.factories import register
from tests.reports.builders import Q3, order, touches

pytestmark = pytest.mark.db_facing


@pytest.fixture
def held(cast):
    acme = register(cast.alice, "Acme Held Ltd", level="A")
    gamma = register(cast.alice, "Gamma Held Ltd", level="A")
    beta = register(cast.bob, "Beta Held Ltd", level="B")
    delta = register(cast.dave, "Delta Held Ltd", level="C")
    order(acme, {cast.alice: "6000"})
    order(beta, {cast.bob: "3000"})
    order(delta, {cast.dave: "1000"})
    touches(acme, cast.alice, "phone")
    touches(acme, cast.bob, "email")  # two people talk to Acme
    touches(beta, cast.bob, "phone", 3)  # only Bob talks to Beta
    touches(delta, cast.dave, "email")  # only Dave talks to Delta; nobody talked to Gamma
    Contact.objects.create(customer=acme, name="Ms Wu", chain_role="decision_maker")
    Contact.objects.create(customer=acme, name="Mr Li", chain_role="influencer")
    Contact.objects.create(customer=gamma, name="Mr Ho", chain_role="user")
    Contact.objects.create(customer=delta, name="Ms Ng", chain_role="decision_maker")  # not key
    return cast


def test_the_top_reps_share_of_revenue(held):
    report = concentration(viewer=held.diana, period=Q3)
    assert report.revenue == Decimal(10000)
    assert [(r.name, r.revenue, r.share, r.cumulative) for r in report.reps] == [
        ("Alice", Decimal(6000), 0.6, 0.6),
        ("Bob", Decimal(3000), 0.3, 0.9),
        ("Dave", Decimal(1000), 0.1, 1.0),
    ]
    assert (report.top1_share, report.top3_share, report.top_fifth_share) == (0.6, 1.0, 0.6)


def test_customers_only_one_person_talks_to(held):
    spread = {
        s.level: (s.contacted, s.single) for s in concentration(viewer=held.diana, period=Q3).spread
    }
    assert spread == {"A": (1, 0), "B": (1, 1), "C": (1, 1)}
    mine = {
        s.level: (s.contacted, s.single) for s in concentration(viewer=held.alice, period=Q3).spread
    }
    assert mine == {"A": (1, 0), "B": (0, 0), "C": (0, 0)}


def test_decision_chain_coverage_of_key_accounts(held):
    report = concentration(viewer=held.diana, period=Q3)
    assert (report.key_accounts, report.key_accounts_with_chain) == (2, 2)
    roles = {c.role: (c.accounts, c.share) for c in report.chain}
    assert roles["decision_maker"] == (1, 0.5)
    assert roles["influencer"] == (1, 0.5)
    assert roles["user"] == (1, 0.5)
    assert roles["champion"] == (0, 0.0)
    assert [name for _, name in report.without_decision_maker] == ["Gamma Held Ltd"]
    west = concentration(viewer=held.dave, period=Q3)
    assert west.key_accounts == 0 and west.without_decision_maker == []
    assert [r.name for r in west.reps] == ["Dave"]
