"""Potential (A/B/C) and engagement type by rule, with per-industry thresholds (DOMAIN.md §7)."""

from decimal import Decimal

from guishu.domain import ClassificationInputs, Engagement, Level, Policy, Strategy, render_trace
from guishu.domain.classification import engagement_of, potential_of
from guishu.domain.policy_values import default_values, policy_from, validate

POLICY = Policy()


def inputs(**fields: object) -> ClassificationInputs:
    return ClassificationInputs(**fields)  # type: ignore[arg-type]


def test_an_estimate_of_a_million_a_year_is_potential_a():
    result = potential_of(inputs(potential_estimate=Decimal(1_000_000)), POLICY)
    assert result.level is Level.A
    assert render_trace(result.trace) == (
        "estimated yearly purchase potential 1,000,000; reaches 1,000,000 (industry *): potential A"
    )


def test_orders_of_the_last_year_count_when_they_exceed_the_estimate():
    result = potential_of(
        inputs(potential_estimate=Decimal(50_000), orders_last_12_months=Decimal(250_000)), POLICY
    )
    assert result.level is Level.B
    assert "won orders of the last 12 months 250,000" in render_trace(result.trace)


def test_a_customer_nobody_estimated_is_c_unless_it_is_a_large_company():
    assert potential_of(inputs(), POLICY).level is Level.C
    large = potential_of(inputs(employees=500), POLICY)
    assert large.level is Level.B
    assert "a large company is at least B" in render_trace(large.trace)


def test_thresholds_differ_by_industry_matched_without_case_or_spaces():
    policy = Policy(potential_a_amount={"Machinery": 3_000_000})
    machine = potential_of(
        inputs(industry=" machinery ", potential_estimate=Decimal(2_000_000)), policy
    )
    other = potential_of(inputs(industry="Textiles", potential_estimate=Decimal(2_000_000)), policy)
    assert (machine.level, other.level) == (Level.B, Level.A)


def test_volume_above_80k_with_a_good_margin_is_type_1_let_go():
    result = engagement_of(inputs(monthly_volume=Decimal(90_000), margin=Decimal(15)), POLICY)
    assert (result.engagement, result.strategy) == (Engagement.EARNS, Strategy.LET_GO)
    assert result.engagement is not None and result.engagement.number == 1


def test_a_big_buyer_earning_too_little_with_us_is_type_2_dig_in():
    result = engagement_of(inputs(monthly_volume=Decimal(90_000), margin=Decimal(5)), POLICY)
    assert (result.engagement, result.strategy) == (Engagement.PUSHED, Strategy.DIG_IN)
    assert "earns only 5% on our products (less than 10%)" in render_trace(result.trace)


def test_around_50k_is_type_2_dig_in():
    result = engagement_of(inputs(monthly_volume=Decimal(50_000)), POLICY)
    assert (result.engagement, result.strategy) == (Engagement.PUSHED, Strategy.DIG_IN)


def test_type_3_without_the_capability_to_buy_more_is_given_up():
    # 20k at a 80% share: 25k in all, which could never reach the type-2 volume of 50k.
    result = engagement_of(inputs(monthly_volume=Decimal(20_000), our_share=Decimal(80)), POLICY)
    assert (result.engagement, result.strategy) == (Engagement.STUCK, Strategy.GIVE_UP)
    assert render_trace(result.trace) == (
        "monthly volume 20,000 is below 30,000 (industry *): type 3; all its purchases "
        "(25,000 a month at our share of 80%) could not reach 50,000: it lacks the "
        "capability, give up"
    )


def test_type_3_that_buys_much_elsewhere_is_dug_into():
    # 20k at a 10% share: it buys 200k a month in all.
    result = engagement_of(inputs(monthly_volume=Decimal(20_000), our_share=Decimal(10)), POLICY)
    assert (result.engagement, result.strategy) == (Engagement.STUCK, Strategy.DIG_IN)
    assert "it buys 200,000 a month in all" in render_trace(result.trace)


def test_type_3_capability_from_the_estimate_when_the_share_is_unknown():
    result = engagement_of(
        inputs(monthly_volume=Decimal(10_000), potential_estimate=Decimal(120_000)), POLICY
    )
    assert result.strategy is Strategy.GIVE_UP  # 10k a month could not reach 50k


def test_unknown_volume_gives_no_type():
    result = engagement_of(inputs(), POLICY)
    assert (result.engagement, result.strategy) == (None, None)


def test_per_industry_volume_thresholds():
    policy = Policy(engagement_type1_volume={"Electronics": 200_000})
    electronics = engagement_of(
        inputs(industry="electronics", monthly_volume=Decimal(100_000), margin=Decimal(20)), policy
    )
    other = engagement_of(
        inputs(industry="Food", monthly_volume=Decimal(100_000), margin=Decimal(20)), policy
    )
    assert (electronics.engagement, other.engagement) == (Engagement.PUSHED, Engagement.EARNS)


def test_stored_values_by_industry_are_validated_and_merged_into_the_policy():
    values = default_values() | {"engagement_type1_volume": {"*": 90_000, "Chemicals": 150_000}}
    assert validate(values) == {}
    policy = policy_from(values, "Asia/Shanghai")
    assert policy.for_industry("engagement_type1_volume", "chemicals") == 150_000
    assert policy.for_industry("engagement_type1_volume", "") == 90_000
    assert validate({"engagement_type3_volume": {"": 1}}) == {
        "engagement_type3_volume": ["by_industry"]
    }
    assert validate({"engagement_min_margin": {"*": 101}}) == {
        "engagement_min_margin": ["range:0:100"]
    }
    assert validate({"cadence_strategy_days": {"dig_in": 7}, "cadence_days": 45}) == {}


def test_without_an_entered_volume_a_twelfth_of_the_years_orders_is_used():
    result = engagement_of(inputs(orders_last_12_months=Decimal(480_000)), POLICY)
    assert result.engagement is Engagement.PUSHED  # 40,000 a month
    assert render_trace(result.trace).startswith(
        "monthly volume 40,000: a twelfth of the won orders of the last 12 months; "
        "monthly volume 40,000 is between 30,000 and 80,000"
    )
