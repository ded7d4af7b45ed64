"""Blocking keys and the in-memory index: candidates found by shared keys, common keys."""

from guishu.matching import (
    STRONG_KINDS,
    CustomerRecord,
    IdentityKey,
    KeyKind,
    MatchIndex,
    MatchProfile,
    Verdict,
    blocking_keys,
    build_profile,
    find_matches,
)
from guishu.matching.blocking import deletions


def profile(record_id: str, *names: str, **signals: object) -> MatchProfile:
    return build_profile(CustomerRecord(id=record_id, names=names, **signals))  # type: ignore[arg-type]


def keys_of(*names: str, **signals: object) -> set[str]:
    return {str(key) for key in blocking_keys(profile("x", *names, **signals))}


def test_strong_kinds_identify_a_customer_and_the_others_only_retrieve() -> None:
    assert KeyKind.PHONE.is_strong and KeyKind.CREDIT_CODE.is_strong and KeyKind.DOMAIN.is_strong
    assert not KeyKind.NAME.is_strong and not KeyKind.NAME_GRAM.is_strong
    assert {
        KeyKind.PHONE,
        KeyKind.EMAIL,
        KeyKind.DOMAIN,
        KeyKind.CREDIT_CODE,
        KeyKind.WECHAT,
    } == STRONG_KINDS


def test_kind_values_fit_the_stored_column() -> None:
    assert all(len(kind.value) <= 16 for kind in KeyKind)


def test_a_chinese_name_gives_its_trade_name_pinyin_and_character_pairs() -> None:
    assert keys_of("北京字节跳动科技有限公司") == {
        "name:北京字节跳动科技",
        "trade_name:字节跳动",
        "pinyin:zijietiaodong",
        "name_gram:字节",
        "name_gram:节跳",
        "name_gram:跳动",
    }


def test_a_three_character_trade_name_also_gives_its_outer_pair() -> None:
    assert "name_gram:恒*信" in keys_of("恒达信")


def test_a_two_character_trade_name_is_retrieved_by_itself_and_its_pinyin() -> None:
    assert keys_of("深圳恒达电子") == {"name:深圳恒达电子", "trade_name:恒达", "pinyin:hengda"}


def test_a_latin_name_gives_its_distinctive_words_and_typo_variants() -> None:
    keys = keys_of("Acme Trading Ltd")
    assert {
        "name:acmetrading",
        "pinyin:acme",
        "name_token:acme",
        "name_typo:acme",
        "name_typo:ace",
    } <= keys
    assert "name_token:trading" not in keys


def test_deletion_variants_of_two_words_one_slip_apart_meet() -> None:
    assert set(deletions("velora")) & set(deletions("velorra"))
    assert set(deletions("lamia")) & set(deletions("lamai"))


def test_a_company_domain_gives_a_name_key_that_meets_brand_names() -> None:
    assert "pinyin:bytedance" in keys_of(websites=("www.bytedance.com",))
    assert "pinyin:bytedance" in keys_of("BYTEDANCE LTD.")


def test_a_customer_has_few_keys() -> None:
    keys = keys_of(
        "深圳市恒达精密机械制造有限公司",
        "Shenzhen Hengda Precision Machinery Co., Ltd.",
        "恒达机械",
        phones=("0755 8888 6666", "13800138000"),
        emails=("li@hengda.com.cn", "sales@hengda.com.cn"),
        websites=("www.hengda.com.cn",),
        wechat_ids=("hengda",),
        credit_code="91350100M000100Y43",
    )
    assert len(keys) <= 25


def test_candidates_share_keys_most_shared_first_and_exclude_the_query() -> None:
    index = MatchIndex()
    full = profile("1", "北京字节跳动科技有限公司", phones=("13800138000",))
    short = profile("2", "字节跳动")
    other = profile("3", "上海恒达贸易有限公司")
    for item in (full, short, other):
        index.add(item)
    query = profile("9", "字節跳動(北京)科技", phones=("+86 138 0013 8000",))
    assert [found.id for found in index.candidates(query)] == ["1", "2"]
    assert [found.id for found in index.candidates(full)] == ["2"]


def test_a_two_character_trade_name_with_a_homophone_slip_is_retrieved() -> None:
    index = MatchIndex()
    index.add(profile("1", "深圳市恒达电子有限公司"))
    assert [found.id for found in index.candidates(profile("2", "恒大电子"))] == ["1"]


def test_keys_shared_by_too_many_customers_become_common_and_stop_retrieving() -> None:
    index = MatchIndex(max_bucket=3)
    for number in range(4):
        index.add(profile(str(number), f"公司{number}号", phones=("020 8888 6666",)))
    switchboard = IdentityKey(KeyKind.PHONE, "+862088886666")
    assert switchboard in index.common_keys()
    assert index.candidates(profile("9", "某某", phones=("020 8888 6666",))) == []


def test_find_matches_keeps_same_and_possible_best_first() -> None:
    index = MatchIndex()
    index.add(profile("short", "字节跳动"))
    index.add(profile("full", "北京字节跳动科技有限公司"))
    index.add(profile("phone", "某某", phones=("13800138000",)))
    index.add(profile("other", "字节恒达"))
    query = profile("q", "字節跳動(北京)科技", phones=("+86 138-0013-8000",))
    found = [
        (match_profile.id, match.verdict) for match_profile, match in find_matches(query, index)
    ]
    assert found[:2] == [("phone", Verdict.SAME), ("full", Verdict.SAME)] or found[:2] == [
        ("full", Verdict.SAME),
        ("phone", Verdict.SAME),
    ]
    assert ("short", Verdict.POSSIBLE) in found
    assert all(record_id != "other" for record_id, _ in found)


def test_find_matches_ignores_a_common_switchboard() -> None:
    index = MatchIndex(max_bucket=2)
    for number in range(3):
        index.add(profile(str(number), f"客户{number}", phones=("020 8888 6666",)))
    index.add(profile("named", "恒达", phones=("020 8888 6666",)))
    found = find_matches(profile("q", "宏远", phones=("020 8888 6666",)), index)
    assert found == []
