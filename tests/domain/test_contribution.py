"""Contribution: what each party to a dispute did, side by side, in plain words; never a verdict.

Plain objects, no Django. The case of reps A (王磊) and B (陈静) is DOMAIN.md's: A registered a
year ago and sent a catalog once; B worked the customer for months, mostly refused at logging
because the customer was A's, and got the customer to accept an invitation to the factory.
"""

from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest

from guishu.domain.contribution import (
    CHALLENGER,
    MILESTONES,
    OWNER,
    Contribution,
    Party,
    PartyContribution,
    Preference,
    Touch,
    contribution,
)
from guishu.domain.trace import day

# 10:00 in Shanghai: the UTC and the company calendar day are the same, so the dates below can
# be read straight off the offsets.
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
TZ = "Asia/Shanghai"
A, B = 1, 2


def ago(days: int, hours: int = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def date(days: int) -> str:
    return day(ago(days), TZ)


# B's months with the buyer: (days ago, kind, channel, minutes, customer started it, refused)
B_TOUCHES = (
    (150, "meeting", "in_person", 40, False, False),
    (148, "email", "email", 15, False, False),
    (141, "chat", "whatsapp", 20, True, False),
    (134, "call", "phone", 25, False, False),
    (127, "quote", "email", 45, False, True),
    (121, "chat", "whatsapp", 10, True, True),
    (113, "sample", "other", 20, False, True),
    (99, "chat", "whatsapp", 15, True, True),
    (91, "meeting", "video", 60, False, True),
    (80, "email", "email", 10, False, True),
    (71, "chat", "whatsapp", 15, True, True),
    (60, "quote", "email", 40, False, True),
    (52, "call", "phone", 30, False, True),
    (41, "chat", "whatsapp", 10, True, True),
    (30, "meeting", "video", 45, False, True),
    (21, "invitation", "email", 5, True, True),
)


def rep_a(**changes: object) -> Party:
    values: dict[str, object] = {
        "person_id": A,
        "name": "王磊",
        "role": OWNER,
        "registered_at": ago(358),
        "owner_since": ago(358),
        "first_contact_at": ago(359),
        "touches": (Touch(ago(357), "catalog_sent", "platform", duration_minutes=5),),
    }
    return Party(**{**values, **changes})  # type: ignore[arg-type]


def rep_b(**changes: object) -> Party:
    values: dict[str, object] = {
        "person_id": B,
        "name": "陈静",
        "role": CHALLENGER,
        "registered_at": ago(12),
        "registration_refused": True,
        "first_contact_at": ago(150),
        "touches": tuple(
            Touch(ago(d), kind, channel, initiated, minutes, refused)
            for d, kind, channel, minutes, initiated, refused in B_TOUCHES
        ),
    }
    return Party(**{**values, **changes})  # type: ignore[arg-type]


def case(
    a: Party | None = None, b: Party | None = None, preference: Preference | None = None
) -> Contribution:
    return contribution([a or rep_a(), b or rep_b()], as_of=NOW, tz=TZ, preference=preference)


def text(lines: object) -> list[str]:
    return [str(line) for line in lines]  # type: ignore[attr-defined]


def test_the_a_and_b_case_reads_side_by_side_in_plain_words() -> None:
    result = case(preference=Preference(B, "陈静", "B, she invited us", ago(3)))

    owner, challenger = result.parties
    assert text(owner.summary) == [
        f"王磊 registered it on {date(358)}",
        f"王磊 gave {date(359)} as the first contact",
        f"王磊 had one touchpoint: catalog_sent on {date(357)}",
        "王磊 reached no milestone",
        f"王磊 has had no contact since {date(357)} (357 days)",
    ]
    assert text(challenger.summary) == [
        f"陈静 tried to register it on {date(12)}: refused, kept as evidence",
        f"陈静 had 16 touchpoints between {date(150)} and {date(21)}, 6 of them started by the "
        "customer, 405 minutes in all",
        "陈静's touchpoints refused at logging and kept as evidence: 12",
        f"Milestone reached by 陈静: quote, first on {date(127)}",
        f"Milestone reached by 陈静: sample, first on {date(113)}",
        f"Milestone reached by 陈静: invitation, first on {date(21)}",
        f"陈静's latest touchpoint was on {date(21)}",
    ]
    assert text(result.comparison) == [
        f"王磊 registered it first, on {date(358)}; 陈静's registration on {date(12)} was refused",
        f"王磊 was in contact first, on {date(359)}; 陈静 from {date(150)}",
        f"陈静 went furthest: invitation, first on {date(21)}",
        "王磊 reached no milestone",
        "The customer started 0 touchpoints with 王磊 and 6 with 陈静",
        f"The customer last reached out to 陈静, on {date(21)}",
        f"The customer said on {date(3)} they prefer 陈静",
    ]


def test_it_informs_and_never_decides_no_winner_verdict_or_score() -> None:
    decisive = {"winner", "verdict", "score", "decision", "lead", "recommendation"}
    for cls in (Contribution, PartyContribution):
        assert not decisive & {f.name for f in fields(cls)}
    result = case()
    assert not any(
        word in str(line).lower()
        for line in result.comparison
        for word in ("should", "wins", "deserves")
    )


def test_counts_by_kind_and_channel_minutes_and_first_and_last_touch() -> None:
    _, challenger = case().parties

    assert challenger.touch_count == 16 and challenger.refused_count == 12
    assert challenger.by_kind["chat"] == 5 and challenger.by_kind["quote"] == 2
    assert challenger.by_channel == {
        "whatsapp": 5,
        "email": 5,
        "phone": 2,
        "video": 2,
        "in_person": 1,
        "other": 1,
    }
    assert challenger.customer_initiated == 6 and challenger.total_minutes == 405
    assert (challenger.first_touch_at, challenger.last_touch_at) == (ago(150), ago(21))


def test_a_milestone_counts_from_the_first_time_it_was_reached_whatever_the_input_order() -> None:
    touches = (Touch(ago(10), "quote", "email"), Touch(ago(40), "quote", "email"))
    _, challenger = case(b=rep_b(touches=touches)).parties

    assert dict(challenger.milestones) == {"quote": ago(40)}
    assert [t.at for t in challenger.touches] == [ago(40), ago(10)]


def test_milestones_come_in_ladder_order() -> None:
    touches = tuple(
        Touch(ago(50 - i), kind, "email") for i, kind in enumerate(reversed(MILESTONES))
    )
    _, challenger = case(b=rep_b(touches=touches)).parties

    assert list(challenger.milestones) == list(MILESTONES)
    assert challenger.furthest == (len(MILESTONES) - 1, "order_intent", ago(50))


def test_a_won_order_lies_beyond_every_milestone() -> None:
    a = rep_a(orders=(ago(30), ago(100)))
    result = case(a=a)

    owner, _ = result.parties
    assert f"Orders won by 王磊: 2, the first on {date(100)}" in text(owner.summary)
    assert f"王磊 went furthest: a won order, on {date(100)}" in text(result.comparison)
    assert f"陈静 got as far as invitation, on {date(21)}" in text(result.comparison)


def test_both_reaching_the_same_milestone_is_said_with_both_dates() -> None:
    a = rep_a(touches=(Touch(ago(200), "sample", "other"),))
    b = rep_b(touches=(Touch(ago(20), "sample", "other"),))

    assert f"Both reached sample: 王磊 on {date(200)}, 陈静 on {date(20)}" in text(
        case(a=a, b=b).comparison
    )


def test_the_owner_comes_first_whatever_the_order_given() -> None:
    result = contribution([rep_b(), rep_a()], as_of=NOW, tz=TZ)

    assert [p.party.role for p in result.parties] == [OWNER, CHALLENGER]


def test_dates_are_company_calendar_days() -> None:
    # 17:00 UTC on 1 January is already 2 January in Shanghai.
    late = datetime(2026, 1, 1, 17, 0, tzinfo=UTC)
    a = rep_a(registered_at=late, first_contact_at=None, touches=())

    owner, _ = case(a=a).parties
    assert str(owner.summary[0]) == "王磊 registered it on 2026-01-02"


def test_a_party_with_no_touchpoint_and_no_registration_says_so() -> None:
    b = rep_b(registered_at=None, registration_refused=False, first_contact_at=None, touches=())
    result = case(b=b)

    _, challenger = result.parties
    assert text(challenger.summary) == [
        "陈静 has not registered it",
        "陈静 has no recorded touchpoint",
    ]
    assert f"Only 王磊 registered it, on {date(358)}" in text(result.comparison)
    assert f"Only 王磊 has a recorded contact, from {date(359)}" in text(result.comparison)


def test_a_single_touch_the_customer_started_is_named() -> None:
    b = rep_b(touches=(Touch(ago(5), "chat", "wechat", customer_initiated=True),))

    _, challenger = case(b=b).parties
    assert f"陈静 had one touchpoint, started by the customer: chat on {date(5)}" in text(
        challenger.summary
    )


def test_no_touchpoint_started_by_the_customer_reads_as_none() -> None:
    b = rep_b(
        touches=(
            Touch(ago(5), "call", "phone", duration_minutes=10),
            Touch(ago(3), "call", "phone", duration_minutes=5),
        )
    )
    result = case(b=b)

    _, challenger = result.parties
    assert (
        f"陈静 had 2 touchpoints between {date(5)} and {date(3)}, none started by the customer, "
        "15 minutes in all"
    ) in text(challenger.summary)
    assert "The customer started no touchpoint with either" in text(result.comparison)


def test_the_customers_preference_is_stated_only_when_recorded() -> None:
    assert text(case().comparison)[-1] == "The customer's preference is not recorded"
    answered = Preference(answer="Whoever can deliver by March", answered_at=ago(2))
    assert text(case(preference=answered).comparison)[-1] == (
        f"The customer answered on {date(2)} without naming either"
    )


def test_times_must_be_timezone_aware_and_there_are_two_different_parties() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        contribution([rep_a(), rep_b()], as_of=NOW.replace(tzinfo=None), tz=TZ)
    naive = rep_b(touches=(Touch(datetime(2026, 1, 1), "call", "phone"),))
    with pytest.raises(ValueError, match="timezone-aware"):
        contribution([rep_a(), naive], as_of=NOW, tz=TZ)
    with pytest.raises(ValueError, match="two different parties"):
        contribution([rep_a(), rep_a()], as_of=NOW, tz=TZ)
