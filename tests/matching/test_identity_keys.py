"""identity_keys: the exact keys that make two customer records one customer."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.matching import IdentityKey, IdentitySignals, KeyKind, identity_keys


def keys_of(**signals: Any) -> set[str]:
    return {str(key) for key in identity_keys(IdentitySignals(**signals))}


def test_a_key_prints_as_kind_and_value() -> None:
    assert str(IdentityKey(KeyKind.PHONE, "+8613800138000")) == "phone:+8613800138000"


def test_keys_sort_by_kind_then_value() -> None:
    keys = [IdentityKey(KeyKind.PHONE, "+2"), IdentityKey(KeyKind.EMAIL, "b@acme.com")]
    assert sorted(keys)[0].kind is KeyKind.EMAIL


def test_no_signals_give_no_keys() -> None:
    assert identity_keys(IdentitySignals()) == frozenset()


def test_each_name_in_any_script_gives_a_name_key() -> None:
    assert keys_of(names=("Acme Co., Ltd", "艾克米（深圳）有限公司")) == {
        "name:acme",
        "name:艾克米深圳",
    }


def test_names_that_normalise_alike_give_one_key() -> None:
    assert keys_of(names=("Acme Corp.", "ACME Corporation", "The Acme Co., Ltd")) == {"name:acme"}


def test_a_name_that_is_only_a_legal_form_gives_no_key() -> None:
    assert keys_of(names=("Ltd", "有限公司", "")) == set()


def test_phones_are_read_in_the_customers_country() -> None:
    assert keys_of(phones=("(415) 555-0132",), country="US") == {"phone:+14155550132"}


def test_phones_are_read_as_chinese_when_the_country_is_unknown() -> None:
    assert keys_of(phones=("138 0013 8000",)) == {"phone:+8613800138000"}


def test_whatsapp_ids_give_phone_keys_that_match_the_same_phone() -> None:
    whatsapp = identity_keys(IdentitySignals(whatsapp_ids=("8613800138000",)))
    phone = identity_keys(IdentitySignals(phones=("+86 138 0013 8000",)))
    assert whatsapp == phone == {IdentityKey(KeyKind.PHONE, "+8613800138000")}


def test_company_email_gives_an_email_key_and_a_domain_key() -> None:
    assert keys_of(emails=("Li.Wei@mail.Acme.com.cn",)) == {
        "email:li.wei@mail.acme.com.cn",
        "domain:acme.com.cn",
    }


def test_free_mail_gives_an_email_key_but_no_domain_key() -> None:
    assert keys_of(emails=("123456@qq.com", "john@gmail.com")) == {
        "email:123456@qq.com",
        "email:john@gmail.com",
    }


def test_website_gives_its_registrable_domain() -> None:
    assert keys_of(websites=("https://www.acme.co.uk/about",)) == {"domain:acme.co.uk"}


def test_website_and_company_email_on_one_domain_give_one_domain_key() -> None:
    keys = keys_of(websites=("www.acme.com.cn",), emails=("sales@acme.com.cn",))
    assert {key for key in keys if key.startswith("domain:")} == {"domain:acme.com.cn"}


def test_pages_on_shared_platforms_give_no_domain_key() -> None:
    # Every customer with a LinkedIn page or an Alibaba shop would otherwise collide.
    platform_pages = (
        "https://www.linkedin.com/company/acme",
        "https://acme.en.alibaba.com",
        "https://www.facebook.com/acme",
        "http://user.qzone.qq.com/123456",
    )
    assert keys_of(websites=platform_pages) == set()


def test_a_valid_credit_code_gives_a_key_in_upper_case() -> None:
    assert keys_of(credit_code="91350100m000100y43") == {"credit_code:91350100M000100Y43"}


def test_an_invalid_credit_code_gives_no_key() -> None:
    assert keys_of(credit_code="91350100M000100Y44") == set()


def test_wechat_ids_are_trimmed_and_case_folded() -> None:
    assert keys_of(wechat_ids=("  WXid_Acme ", "wxid_acme", "")) == {"wechat:wxid_acme"}


def test_invalid_signals_give_no_keys_rather_than_errors() -> None:
    signals = IdentitySignals(
        names=("",),
        phones=("n/a", "123"),
        emails=("not an email",),
        websites=("http://10.0.0.1", "garbage"),
        wechat_ids=("   ",),
        whatsapp_ids=("?",),
        credit_code="123",
        country="??",
    )
    assert identity_keys(signals) == frozenset()


def test_two_records_of_one_customer_share_keys() -> None:
    registered = identity_keys(
        IdentitySignals(names=("深圳艾克米科技有限公司",), phones=("0755-8888 6666",))
    )
    imported = identity_keys(
        IdentitySignals(names=("深圳艾克米科技",), phones=("+86 755 8888 6666",), country="CN")
    )
    assert registered == imported


texts = st.tuples() | st.lists(st.text(), max_size=3).map(tuple)


@settings(max_examples=300, database=None)
@given(
    names=texts,
    phones=texts,
    emails=texts,
    websites=texts,
    wechat_ids=texts,
    whatsapp_ids=texts,
    credit_code=st.none() | st.text(),
    country=st.none() | st.text(max_size=3),
)
def test_identity_keys_never_raise_on_arbitrary_text(
    names: tuple[str, ...],
    phones: tuple[str, ...],
    emails: tuple[str, ...],
    websites: tuple[str, ...],
    wechat_ids: tuple[str, ...],
    whatsapp_ids: tuple[str, ...],
    credit_code: str | None,
    country: str | None,
) -> None:
    keys = identity_keys(
        IdentitySignals(
            names=names,
            phones=phones,
            emails=emails,
            websites=websites,
            wechat_ids=wechat_ids,
            whatsapp_ids=whatsapp_ids,
            credit_code=credit_code,
            country=country,
        )
    )
    assert all(key.value for key in keys)


@settings(max_examples=200, database=None)
@given(
    st.from_regex(r"\A[+(]?[0-9() +.\-]{0,25}\Z"),
    st.sampled_from([None, "CN", "US", "GB", "DE", "xx"]),
)
def test_identity_keys_never_raise_on_phone_like_text(raw: str, country: str | None) -> None:
    identity_keys(IdentitySignals(phones=(raw,), whatsapp_ids=(raw,), country=country))
