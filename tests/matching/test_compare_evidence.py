"""Negative evidence, keys shared by too many customers, and the shape of a Match."""

from typing import Any

from guishu.matching import (
    CustomerRecord,
    IdentityKey,
    KeyKind,
    MatchProfile,
    Verdict,
    build_profile,
    compare,
)


def with_check(body: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(char) * pow(3, index, 31) for index, char in enumerate(body))
    return body + alphabet[-total % 31]


# Two valid unified social credit codes (GB 32100-2015 check characters).
CODE_A = "91350100M000100Y43"
CODE_B = with_check("91110108MA01ABCD5")


def profile(name: str = "", **signals: Any) -> MatchProfile:
    return build_profile(CustomerRecord(id=name or "x", names=(name,) if name else (), **signals))


def codes(match: Any) -> list[str]:
    return [reason.code for reason in match.reasons]


def test_different_credit_codes_are_two_companies_even_with_a_shared_phone() -> None:
    match = compare(
        profile("恒达科技", phones=("13800138000",), credit_code=CODE_A),
        profile("恒达贸易", phones=("13800138000",), credit_code=CODE_B),
    )
    assert match.verdict is Verdict.DIFFERENT
    assert {"different_credit_code", "same_phone"} <= set(codes(match))


def test_a_shared_phone_with_different_company_domains_is_only_possible() -> None:
    match = compare(
        profile("Acme", phones=("+1 415 555 0132",), emails=("a@acme.com",)),
        profile("Zantor", phones=("+1 415 555 0132",), emails=("b@zantor.com",)),
    )
    assert match.verdict is Verdict.POSSIBLE
    assert "different_company_domain" in codes(match)


def test_a_shared_email_in_different_recorded_countries_is_only_possible() -> None:
    match = compare(
        profile("Acme", emails=("a@acme.com",), country="DE"),
        profile("Acme", emails=("a@acme.com",), country="FR"),
    )
    assert match.verdict is Verdict.POSSIBLE


def test_different_cities_make_a_shared_trade_name_different() -> None:
    match = compare(profile("恒达", city="北京"), profile("恒达科技有限公司", city="Shanghai"))
    assert match.verdict is Verdict.DIFFERENT
    assert "different_city" in codes(match)


def test_different_cities_keep_equal_names_from_a_refusal() -> None:
    match = compare(profile("恒达科技", city="北京"), profile("恒达科技有限公司", city="Shanghai"))
    assert match.verdict is Verdict.POSSIBLE


def test_a_city_inside_its_province_is_no_conflict() -> None:
    match = compare(profile("广东恒达科技有限公司"), profile("恒达科技", city="深圳市"))
    assert "different_city" not in codes(match)
    assert match.verdict is Verdict.POSSIBLE


def test_different_company_domains_turn_similar_latin_names_different() -> None:
    match = compare(
        profile("Velora Trading Ltd", emails=("a@velora.co.uk",), phones=("+44 20 7946 0018",)),
        profile("Velorra Trading Ltd", emails=("b@velorra.co.uk",), phones=("+44 20 7946 0999",)),
    )
    assert match.verdict is Verdict.DIFFERENT
    assert {"different_company_domain", "different_phone"} <= set(codes(match))


def test_equal_names_in_different_countries_are_not_a_refusal() -> None:
    match = compare(
        profile("Acme Trading Ltd", country="GB"), profile("Acme Trading Ltd", country="AU")
    )
    assert match.verdict is Verdict.POSSIBLE


def test_a_country_is_inferred_from_phones_when_the_record_has_none() -> None:
    match = compare(
        profile("Fensen Ltda.", phones=("+55 11 96123 4567",)),
        profile("Fensen Pte. Ltd.", phones=("+65 8123 4567",)),
    )
    assert match.verdict is not Verdict.SAME
    assert {"phones_in_other_country", "different_legal_form"} <= set(codes(match))


def test_a_missing_phone_match_alone_does_not_stop_equal_names() -> None:
    match = compare(
        profile("深圳市恒达电子有限公司", phones=("13800138000",)),
        profile("恒达（深圳）电子", phones=("13900139000",)),
    )
    assert match.verdict is Verdict.SAME
    assert "different_phone" in codes(match)


def test_phones_in_different_countries_are_not_a_missing_phone_match() -> None:
    match = compare(
        profile("Acme Ltd", phones=("13800138000",)),
        profile("Acme Ltd", phones=("+1 415 555 0132",)),
    )
    assert "different_phone" not in codes(match)


def test_a_common_phone_stops_counting_and_says_so() -> None:
    switchboard = IdentityKey(KeyKind.PHONE, "+862088886666")
    left = profile("恒达科技", phones=("020 8888 6666",))
    right = profile("宏远贸易", phones=("+86 20 8888 6666",))
    assert compare(left, right).verdict is Verdict.SAME
    match = compare(left, right, common_keys=frozenset({switchboard}))
    assert match.verdict is Verdict.DIFFERENT
    assert "common_key_ignored" in codes(match)
    assert "phone:+862088886666" in str(match.reasons[0]) + str(match.reasons[1])


def test_a_common_domain_stops_counting() -> None:
    agent = IdentityKey(KeyKind.DOMAIN, "sourcing-agent.com")
    left = profile("Velora", emails=("a@sourcing-agent.com",))
    right = profile("Zantor", emails=("b@sourcing-agent.com",))
    assert compare(left, right, common_keys=frozenset({agent})).verdict is Verdict.DIFFERENT


def test_a_common_key_does_not_hide_another_shared_key() -> None:
    switchboard = IdentityKey(KeyKind.PHONE, "+862088886666")
    left = profile("恒达", phones=("020 8888 6666",), emails=("li@hengda.com",))
    right = profile("恒达", phones=("020 8888 6666",), emails=("wang@hengda.com",))
    assert compare(left, right, common_keys=frozenset({switchboard})).verdict is Verdict.SAME


def test_a_common_name_is_only_possible() -> None:
    name = IdentityKey(KeyKind.NAME, "深圳恒达电子")
    match = compare(
        profile("深圳市恒达电子有限公司"), profile("恒达(深圳)电子"), common_keys=frozenset({name})
    )
    assert match.verdict is Verdict.POSSIBLE
    assert "common_key_ignored" in codes(match)


def test_scores_are_banded_by_verdict() -> None:
    same = compare(profile(phones=("13800138000",)), profile(phones=("13800138000",)))
    possible = compare(profile("字节跳动"), profile("北京字节跳动科技有限公司"))
    different = compare(profile("字节跳动"), profile("恒达"))
    assert 0.8 <= same.score <= 1 and 0.4 <= possible.score < 0.8 and 0 <= different.score < 0.4


def test_a_pair_with_nothing_in_common_says_so() -> None:
    match = compare(profile("字节跳动"), profile("恒达"))
    assert codes(match) == ["nothing_in_common"]


def test_reason_messages_are_templates_with_params() -> None:
    match = compare(profile(phones=("13800138000",)), profile(phones=("13800138000",)))
    reason = match.reasons[0]
    assert reason.message == "same phone number {phone}"
    assert reason.params == {"phone": "+8613800138000"}
    assert reason.weight > 0
    assert reason.to_json()["code"] == "same_phone"
