"""What-if simulation, and the sweep under each team's own policy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.ownership.models import Ownership
from guishu.ownership.simulate import policy_simulate
from guishu.ownership.sweep import ownership_sweep
from guishu.policies.services import policy_version_save
from tests.factories import register

pytestmark = pytest.mark.db_facing


@pytest.fixture
def book(cast):
    """Customers registered 40 days ago (level C: 60 days without follow-up, 90 without a
    deal, by default), for Alice (East) and Dave (West), and a fresh one for Alice."""
    now = timezone.now()
    old = now - timedelta(days=40)
    return {
        "now": now,
        "alice_old": register(cast.alice, "Ostwind Ventile GmbH", now=old).pk,
        "dave_old": register(cast.dave, "Westwind Pumpen AG", now=old).pk,
        "alice_new": register(cast.alice, "Neuland Lager KG", now=now - timedelta(days=2)).pk,
    }


def owned(customer_id: int) -> bool:
    return Ownership.objects.filter(customer_id=customer_id, ended_at__isnull=True).exists()


def test_the_simulation_predicts_exactly_what_the_sweep_then_does(cast, book):
    candidate = {"follow_up_reclaim_days": 30}
    simulation = policy_simulate(values=candidate, on=book["now"])
    added = {(c.action, c.planned.customer_id) for c in simulation.changes if c.effect == "added"}
    assert ("reclaim", book["alice_old"]) in added and ("reclaim", book["dave_old"]) in added
    assert not any(c.planned.customer_id == book["alice_new"] for c in simulation.changes)
    assert simulation.by("rep")[cast.alice.pk]["reclaim_added"] == 1
    assert owned(book["alice_old"]), "a simulation writes nothing"

    policy_version_save(
        user=cast.admin, team=None, values=candidate, now=book["now"] - timedelta(seconds=5)
    )
    report = ownership_sweep(now=book["now"])
    reclaimed = {cid for cid in book.values() if isinstance(cid, int) and not owned(cid)}
    predicted = {cid for action, cid in added if action == "reclaim"}
    assert reclaimed == predicted and report.reclaimed_total == len(predicted)


def test_a_team_policy_governs_only_that_teams_owners(cast, book):
    policy_version_save(
        user=cast.carol,
        team=cast.east,
        values={"follow_up_reclaim_days": 30},
        now=book["now"] - timedelta(seconds=5),
    )
    ownership_sweep(now=book["now"])
    assert not owned(book["alice_old"])  # East: 30 days
    assert owned(book["dave_old"])  # West: the company's 60 days
    assert owned(book["alice_new"])


def test_simulating_a_team_change_touches_only_that_team(cast, book):
    simulation = policy_simulate(
        values={"follow_up_reclaim_days": 30}, team_id=cast.west.pk, on=book["now"]
    )
    changed = {c.planned.customer_id for c in simulation.changes}
    assert changed == {book["dave_old"]}
    assert set(simulation.by("team")) == {cast.west.pk}


def test_the_policy_command_shows_sets_and_simulates(cast, book):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("policy", "simulate", "follow_up_reclaim_days=30", stdout=out)
    assert "reclaim_added 1" in out.getvalue() and "Ostwind Ventile GmbH" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("policy", "set", "daily_claim_limit=5", "--by", "alice")
    call_command("policy", "set", "daily_claim_limit=5", "--by", "admin", stdout=out)
    shown = StringIO()
    call_command("policy", "show", stdout=shown)
    assert "daily_claim_limit = 5" in shown.getvalue()
    history = StringIO()
    call_command("policy", "history", stdout=history)
    assert "v1" in history.getvalue() and "Admin" in history.getvalue()
