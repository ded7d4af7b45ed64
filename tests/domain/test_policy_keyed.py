"""Keyed policy values (split templates, violation points): validated per key, merged key by
key, and completed with the defaults."""

from guishu.domain.policy import Policy
from guishu.domain.policy_values import default_values, merged, policy_from, validate


def test_keyed_values_are_validated():
    assert validate({"split_templates": {"co_seller": 40}}) == {}
    assert validate({"split_templates": {"intern": 5}}) == {
        "split_templates": ["keyed:co_seller,technical_support,assistant"]
    }
    assert validate({"split_templates": {"co_seller": 101}}) == {"split_templates": ["range:0:100"]}
    assert validate({"violation_points": {"worked_other": True}}) == {
        "violation_points": ["range:0:100"]
    }
    assert validate({"violation_points": 3}) == {
        "violation_points": ["keyed:worked_other,evasive_edit,claim_cycling"]
    }
    assert validate({"max_joint_share": 60}) == {"max_joint_share": ["range:0:50"]}


def test_a_team_override_changes_only_the_keys_it_names():
    company = {**default_values(), "split_templates": {"co_seller": 25}}
    values = merged([default_values(), company, {"split_templates": {"assistant": 8}}])
    policy = policy_from(values, "Asia/Shanghai")
    assert dict(policy.split_templates) == {
        "co_seller": 25,
        "technical_support": 10,
        "assistant": 8,
    }


def test_a_partial_mapping_is_completed_with_the_defaults():
    policy = Policy(violation_points={"claim_cycling": 0})
    assert dict(policy.violation_points) == {
        "worked_other": 2,
        "evasive_edit": 3,
        "claim_cycling": 0,
    }
