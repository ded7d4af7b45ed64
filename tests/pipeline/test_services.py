"""Opportunities move through the standard stages only with the stages' required actions done,
by their owner or someone over them; every move is kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from guishu.pipeline.models import Opportunity, StageChange
from guishu.pipeline.services import (
    PipelineRefused,
    opportunity_advance,
    opportunity_close,
    opportunity_open,
    stages_ensure_default,
)
from tests.factories import register
from tests.reports.builders import touches

pytestmark = pytest.mark.db_facing


@pytest.fixture
def deal(cast):
    acme = register(cast.alice, "Acme Pipeline Ltd")
    opportunity = opportunity_open(
        user=cast.alice, customer=acme, title="Pumps 2027", amount=Decimal("50000")
    )
    return cast, acme, opportunity


def test_the_standard_stages_exist_in_order_with_probabilities(db):
    stages = stages_ensure_default()
    assert [(s.name_en, s.win_probability) for s in stages][:3] == [
        ("Lead", 10),
        ("Qualified", 20),
        ("Quoted", 40),
    ]
    assert stages[1].required_kinds == ["call"]


def test_advancing_is_refused_until_the_required_actions_exist(deal):
    cast, acme, opportunity = deal
    qualified = stages_ensure_default()[1]
    with pytest.raises(PipelineRefused) as refused:
        opportunity_advance(user=cast.alice, opportunity_id=opportunity.pk, stage=qualified)
    assert refused.value.code == "required_actions_missing"
    assert refused.value.missing == ["call"]
    touches(acme, cast.alice, "phone")  # a call
    moved = opportunity_advance(user=cast.alice, opportunity_id=opportunity.pk, stage=qualified)
    assert moved.stage == qualified
    history = list(
        StageChange.objects.filter(opportunity=opportunity)
        .order_by("pk")
        .values_list("from_stage__name_en", "to_stage__name_en", "status")
    )
    assert history == [(None, "Lead", "open"), ("Lead", "Qualified", "open")]


def test_only_the_owner_or_their_manager_moves_an_opportunity(deal):
    cast, acme, opportunity = deal
    touches(acme, cast.alice, "phone")
    qualified = stages_ensure_default()[1]
    for outsider in (cast.bob, cast.dave):
        with pytest.raises(PermissionDenied):
            opportunity_advance(user=outsider, opportunity_id=opportunity.pk, stage=qualified)
    opportunity_advance(user=cast.carol, opportunity_id=opportunity.pk, stage=qualified)


def test_closing_records_the_outcome_once(deal):
    cast, _, opportunity = deal
    won = opportunity_close(user=cast.alice, opportunity_id=opportunity.pk, won=True)
    assert won.status == Opportunity.Status.WON and won.closed_at is not None
    with pytest.raises(PipelineRefused) as refused:
        opportunity_close(user=cast.alice, opportunity_id=opportunity.pk, won=False)
    assert refused.value.code == "closed"
    assert StageChange.objects.filter(opportunity=opportunity, status="won").count() == 1


def test_a_rep_cannot_open_an_opportunity_for_someone_else(cast):
    acme = register(cast.alice, "Acme Someone Else Ltd")
    with pytest.raises(PermissionDenied):
        opportunity_open(
            user=cast.alice, customer=acme, title="x", amount=Decimal(1), owner=cast.bob
        )
