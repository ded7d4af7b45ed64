"""Splitting an amount by shares, on plain values: the parts always sum to the amount, no part
is negative, and only the owner gets more than their exact share."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guishu.activities.credits import credits_split
from guishu.disputes.collaboration import CreditShare

cents = st.integers(min_value=1, max_value=10**12).map(lambda n: Decimal(n) / 100)
hundredths = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 100)


@st.composite
def shares(draw: st.DrawFn) -> list[CreditShare]:
    """An owner and up to five collaborators, together at most 100."""
    collaborators, left = [], Decimal(100)
    for user_id in range(2, draw(st.integers(min_value=2, max_value=7))):
        share = min(draw(hundredths), left)
        left -= share
        collaborators.append(CreditShare(user_id=user_id, role="co_seller", share=share))
    return [CreditShare(user_id=1, role="owner", share=left), *collaborators]


@given(amount=cents, split=shares())
def test_the_parts_sum_exactly_to_the_amount_and_none_is_negative(amount, split):
    credits = credits_split(amount, split)
    assert sum(c.amount for c in credits) == amount
    assert all(c.amount >= 0 and c.amount == c.amount.quantize(Decimal("0.01")) for c in credits)
    for credit in credits[1:]:
        exact = amount * credit.share / 100
        assert exact - Decimal("0.01") < credit.amount <= exact


def test_a_cent_shared_half_and_half_by_two_collaborators_goes_to_the_owner():
    split = [
        CreditShare(user_id=1, role="owner", share=Decimal(0)),
        CreditShare(user_id=2, role="co_seller", share=Decimal(50)),
        CreditShare(user_id=3, role="co_seller", share=Decimal(50)),
    ]
    assert [c.amount for c in credits_split(Decimal("0.01"), split)] == [
        Decimal("0.01"),
        Decimal(0),
        Decimal(0),
    ]
