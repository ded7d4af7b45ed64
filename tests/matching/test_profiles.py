"""Match profiles: built once per record, stored as JSON, normalised idempotently."""

from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.matching import CustomerRecord, MatchProfile, build_profile, compare, parse_name
from guishu.matching.text import fold_letters, to_simplified, word_set

# Fragments of real names, in both scripts, so generated names look like what reps type.
ZH_FRAGMENTS = sorted(
    word_set(
        """
        北京 北京市 广东省 深圳市 （上海） (北京) 廣州 恒达 恒達 宏鑫 字节跳动 科技 電子 国际贸易
        新材料 有限公司 股份有限公司 (集团) 上海分公司 ＡＣＭＥ
        """
    )
    | {" ", "\u3000"}
)
LATIN_FRAGMENTS = sorted(
    word_set(
        """
        Acme ACME Velora Müller Société & and The Trading International Co., Ltd GmbH S.A. de
        C.V. Pty (Beijing) Shenzhen Hong Kong Zijie Tiaodong Keji Youxian Gongsi A. B.
        """
    )
)
zh_names = st.lists(st.sampled_from(ZH_FRAGMENTS), min_size=1, max_size=6).map("".join)
latin_names = st.lists(st.sampled_from(LATIN_FRAGMENTS), min_size=1, max_size=6).map(" ".join)
latin_text = st.text(st.characters(codec="latin-1"), max_size=30)
phones = st.sampled_from(
    ["+86 138-0013-8000", "13800138000", "0755 8888 6666", "+1 415 555 0132", "n/a"]
)
emails = st.sampled_from(
    ["li.wei@acme.com", "sales@acme.com.cn", "123@qq.com", "x@gmail.com", "bad"]
)
WEBSITES = ["www.acme.com", "https://hengda.com.cn/en", "linkedin.com/x"]
records = st.builds(
    CustomerRecord,
    id=st.text(max_size=5),
    names=st.lists(zh_names | latin_names, max_size=3).map(tuple),
    phones=st.lists(phones, max_size=2).map(tuple),
    emails=st.lists(emails, max_size=2).map(tuple),
    websites=st.lists(st.sampled_from(WEBSITES), max_size=2).map(tuple),
    wechat_ids=st.lists(st.sampled_from(["WXid_A", "wxid_b "]), max_size=1).map(tuple),
    credit_code=st.sampled_from([None, "91350100M000100Y43", "bad"]),
    country=st.sampled_from([None, "CN", "us", "DE", "??"]),
    city=st.sampled_from([None, "深圳市", "Shenzhen", "München", "上海"]),
)


@settings(max_examples=300, database=None, deadline=None)
@given(zh_names | latin_names | latin_text)
def test_normalising_a_name_key_again_changes_nothing(name: str) -> None:
    key = parse_name(name).key
    assert parse_name(key).key == key


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(max_size=20))
def test_folding_and_simplifying_text_twice_changes_nothing(text: str) -> None:
    once = to_simplified(fold_letters(text))
    assert to_simplified(fold_letters(once)) == once


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(max_size=30))
def test_parsing_any_text_never_fails(text: str) -> None:
    parse_name(text)


@settings(max_examples=200, database=None, deadline=None)
@given(records)
def test_a_profile_survives_its_json_round_trip(record: CustomerRecord) -> None:
    profile = build_profile(record)
    assert MatchProfile.from_json(profile.to_json()) == profile


@settings(max_examples=200, database=None, deadline=None)
@given(records, records)
def test_comparison_is_symmetric(left: CustomerRecord, right: CustomerRecord) -> None:
    a, b = build_profile(left), build_profile(right)
    assert compare(a, b) == compare(b, a)


def test_a_profile_of_another_version_must_be_rebuilt() -> None:
    data = build_profile(CustomerRecord(id="1", names=("Acme",))).to_json()
    data["v"] = 0
    try:
        MatchProfile.from_json(data)
    except ValueError:
        return
    raise AssertionError("an old profile was read")


def test_a_profile_normalises_every_signal() -> None:
    profile = build_profile(
        CustomerRecord(
            id="7",
            names=("字節跳動(北京)科技", "ByteDance Ltd.", "字节跳动（北京）科技有限公司"),
            phones=("+86 138-0013-8000", "n/a"),
            whatsapp_ids=("8613800138000",),
            emails=("Li.Wei@ByteDance.com", "123@qq.com"),
            websites=("https://www.bytedance.com/en", "https://www.linkedin.com/company/x"),
            wechat_ids=(" WXid_Acme ",),
            credit_code="9135 0100 m000 100y 43",
            country="cn",
            address="北京市海淀区知春路",
        )
    )
    assert [name.key for name in profile.names] == ["北京字节跳动科技", "bytedance"]  # one per key
    assert profile.phones == ("+8613800138000",)
    assert profile.emails == ("123@qq.com", "li.wei@bytedance.com")
    assert profile.domains == ("bytedance.com",)
    assert profile.credit_code == "91350100M000100Y43"
    assert profile.wechat_ids == ("wxid_acme",)
    assert (profile.country, profile.city, profile.places) == ("CN", "北京", ("北京",))
    assert profile.names[0].pinyin == "zijietiaodong"


def test_a_record_with_nothing_usable_gives_an_empty_profile() -> None:
    profile = build_profile(
        CustomerRecord(id="1", names=("", "  "), phones=("?",), country="Narnia")
    )
    assert (profile.names, profile.phones, profile.country) == ((), (), None)
