"""Territory rules: which rule a customer falls under, who is eligible under it, and who may
write it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guishu.accounts.models import Team
from guishu.territories.models import Assignment, RuleCursor, TerritoryRule
from guishu.territories.rules import territory_rule_delete, territory_rule_update
from guishu.territories.selectors import (
    active_rules,
    eligible_people,
    rule_editable_by,
    rule_for,
)
from tests.factories import make_user
from tests.territories.conftest import lead, rule

pytestmark = pytest.mark.db_facing


def test_the_active_rule_with_the_lowest_priority_number_that_matches_wins(cast):
    rule(cast.admin, "Everything", reps=[cast.bob], priority=500)
    rule(cast.admin, "Zhejiang", reps=[cast.alice], regions=["Zhejiang"], priority=10)
    rule(cast.admin, "Zhejiang makers", reps=[cast.bob], regions=["zhejiang"], priority=20)
    rule(cast.admin, "Paused", reps=[cast.dave], priority=1, active=False)
    rules = active_rules()

    assert [r.name for r in rules] == ["Zhejiang", "Zhejiang makers", "Everything"]
    assert rule_for(lead(cast.admin, region="  ZHEJIANG "), rules).name == "Zhejiang"  # type: ignore[union-attr]
    assert rule_for(lead(cast.admin, region="Jiangsu"), rules).name == "Everything"  # type: ignore[union-attr]


def test_a_customer_must_meet_every_criterion_that_is_set(cast):
    rule(
        cast.admin,
        "German machinery buyers",
        reps=[cast.alice],
        countries=["de"],
        industries=["Machinery"],
        kinds=["company"],
        sources=["Canton Fair"],
        levels=["A", "B"],
    )
    rules = active_rules()
    fits = {
        "country": "DE",
        "industry": "machinery",
        "kind": "company",
        "source": "canton  fair",
        "level": "B",
    }
    assert rule_for(lead(cast.admin, **fits), rules) is not None
    for field, other in [
        ("country", "FR"),
        ("industry", "Textiles"),
        ("kind", "person"),
        ("source", "Website"),
        ("level", "C"),
    ]:
        assert rule_for(lead(cast.admin, **(fits | {field: other})), rules) is None, field


def test_criteria_are_stored_in_their_canonical_form(cast):
    saved = rule(
        cast.admin,
        "  East   China ",
        reps=[cast.alice],
        regions=[" Zhe  Jiang", "zhe jiang", ""],
        countries=["cn"],
    )
    assert saved.name == "East China"
    assert saved.regions == ["zhe jiang"]
    assert saved.countries == ["CN"]
    assert RuleCursor.objects.filter(rule=saved, last_rep=None).exists()


def test_a_rule_names_at_least_one_rep_or_team(cast):
    with pytest.raises(ValidationError) as refused:
        rule(cast.admin, "Nobody")
    assert "reps" in refused.value.message_dict
    assert not TerritoryRule.objects.exists()


def test_wrong_values_are_refused_field_by_field(cast):
    with pytest.raises(ValidationError) as refused:
        rule(
            cast.admin,
            "Wrong",
            reps=[cast.diana.pk, 999_999],
            teams=[888_888],
            kinds=["robot"],
            levels=["Z"],
            countries=["CHN"],
            method="lottery",
        )
    errors = refused.value.message_dict
    assert set(errors) == {"reps", "teams", "kinds", "levels", "countries", "method"}
    with pytest.raises(ValidationError) as refused:
        rule(cast.admin, "Director", reps=[cast.diana.pk])
    assert "Diana" in refused.value.message_dict["reps"][0]
    rule(cast.admin, "Taken", reps=[cast.alice])
    with pytest.raises(ValidationError) as refused:
        rule(cast.admin, "Taken", reps=[cast.bob])
    assert "name" in refused.value.message_dict


def test_eligible_people_are_the_named_users_and_the_reps_of_the_named_team_trees(cast):
    north = Team.objects.create(name="North", parent=cast.east)
    frank = make_user("frank", team=north)
    quitter = make_user("quitter", team=cast.east)
    quitter.is_active = False
    quitter.save()
    saved = rule(cast.admin, "East and Dave", teams=[cast.east], reps=[cast.dave])

    people = eligible_people(saved)
    # Carol manages East: her team's rule does not hand her customers unless she is named.
    assert [p.username for p in people] == ["alice", "bob", "dave", "frank", "quitter"]
    assert frank in people and cast.carol not in people


def test_a_manager_writes_only_rules_inside_their_team_trees(cast, wendy):
    mine = rule(cast.carol, "Carol's", reps=[cast.alice], teams=[cast.east])
    assert mine.created_by == cast.carol
    for outside in ({"reps": [cast.dave]}, {"teams": [cast.west]}):
        with pytest.raises(PermissionDenied):
            rule(cast.carol, "Reaching out", **outside)
    with pytest.raises(PermissionDenied):
        territory_rule_update(user=cast.carol, rule_id=mine.pk, changes={"reps": [cast.dave.pk]})

    assert rule_editable_by(cast.carol, mine.pk) == mine
    assert rule_editable_by(cast.admin, mine.pk) == mine
    # Another manager, a director and the reps cannot touch it: it answers "no such rule".
    for person in (wendy, cast.diana, cast.alice):
        assert rule_editable_by(person, mine.pk) is None
    with pytest.raises(TerritoryRule.DoesNotExist):
        territory_rule_update(user=wendy, rule_id=mine.pk, changes={"priority": 1})
    with pytest.raises(PermissionDenied):
        territory_rule_delete(user=cast.diana, rule_id=mine.pk)
    with pytest.raises(PermissionDenied):
        rule(cast.alice, "Mine now", reps=[cast.alice])


def test_changing_a_rule_keeps_its_turn_and_what_is_not_changed(cast):
    from guishu.territories.assign import lead_assign

    saved = rule(cast.carol, "East", reps=[cast.alice, cast.bob], regions=["Zhejiang"])
    lead_assign(user=cast.carol, customer_ids=[lead(cast.carol, region="Zhejiang").pk])

    changed = territory_rule_update(
        user=cast.carol, rule_id=saved.pk, changes={"priority": 5, "reps": [cast.bob.pk]}
    )
    assert changed.priority == 5 and changed.regions == ["zhejiang"]
    assert list(changed.reps.all()) == [cast.bob]
    assert RuleCursor.objects.get(rule=saved).last_rep == cast.alice


def test_deleting_a_rule_keeps_its_assignments_and_their_reasons(cast):
    from guishu.territories.assign import lead_assign

    saved = rule(cast.carol, "East", reps=[cast.alice])
    lead_assign(user=cast.carol, customer_ids=[lead(cast.carol).pk])
    territory_rule_delete(user=cast.carol, rule_id=saved.pk)

    kept = Assignment.objects.get()
    assert kept.rule is None and kept.rule_name == "East" and "East" in kept.reason
    assert not RuleCursor.objects.exists()
