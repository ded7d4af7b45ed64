"""E-mail addresses, company mail domains and registrable web domains."""

import socket

import pytest

from guishu.matching import (
    FREE_MAIL_DOMAINS,
    company_domain_of_email,
    domains,
    normalise_email,
    registrable_domain,
)


def test_email_is_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Li.Wei@ACME.com.cn ") == "li.wei@acme.com.cn"


def test_full_width_at_sign_from_a_chinese_input_method_is_read_as_at() -> None:
    assert normalise_email("li＠acme.com") == "li@acme.com"


def test_mailto_prefix_is_ignored() -> None:
    assert normalise_email("mailto:Bob@Acme.com") == "bob@acme.com"


def test_plus_tags_are_kept_because_they_are_a_different_address() -> None:
    assert normalise_email("bob+crm@gmail.com") == "bob+crm@gmail.com"


@pytest.mark.parametrize(
    "not_an_email",
    [
        "",
        "bob",
        "bob@",
        "@acme.com",
        "bob@acme",
        "bob@@acme.com",
        "bob smith@acme.com",
        ".bob@acme.com",
        "bob..smith@acme.com",
        "bob@acme..com",
        "bob@192.168.1.1",
        "bob@com.cn",
        "bob@acme.notatld",
    ],
)
def test_text_that_is_not_an_email_gives_none(not_an_email: str) -> None:
    assert normalise_email(not_an_email) is None


def test_company_mail_gives_its_registrable_domain() -> None:
    assert company_domain_of_email("li@mail.acme.com.cn") == "acme.com.cn"
    assert company_domain_of_email("buyer@shop.acme.co.uk") == "acme.co.uk"


@pytest.mark.parametrize(
    "free_mail",
    [
        "123456@qq.com",
        "li@vip.qq.com",
        "li@foxmail.com",
        "li@163.com",
        "li@126.com",
        "li@sina.cn",
        "li@aliyun.com",
        "john@gmail.com",
        "john@hotmail.com",
        "john@yahoo.co.uk",
        "hans@gmx.de",
        "ivan@mail.ru",
        "ann@proton.me",
    ],
)
def test_free_mail_addresses_have_no_company_domain(free_mail: str) -> None:
    assert company_domain_of_email(free_mail) is None


def test_subdomains_of_free_mail_providers_count_as_free_mail() -> None:
    assert company_domain_of_email("chen@ms1.hinet.net") is None


def test_an_invalid_email_has_no_company_domain() -> None:
    assert company_domain_of_email("not an email") is None


def test_free_mail_list_covers_the_main_chinese_and_international_providers() -> None:
    assert {"qq.com", "163.com", "gmail.com", "outlook.com", "yahoo.co.uk"} <= FREE_MAIL_DOMAINS
    assert len(FREE_MAIL_DOMAINS) >= 60


def test_free_mail_list_is_lower_case_hosts() -> None:
    assert all(domain == domain.lower().strip() and "." in domain for domain in FREE_MAIL_DOMAINS)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Acme.com.cn/about", "acme.com.cn"),
        ("shop.acme.co.uk", "acme.co.uk"),
        ("acme.com", "acme.com"),
        ("www.acme.com/contact?lang=en", "acme.com"),
        ("HTTP://WWW.ACME.COM:8080", "acme.com"),
        ("http://user:secret@acme.de/", "acme.de"),
        ("ｗｗｗ．ａｃｍｅ．ｃｏｍ", "acme.com"),
        ("www.acme.com.", "acme.com"),
        ("acme.github.io", "acme.github.io"),
    ],
)
def test_registrable_domain_of_urls_and_hosts(url: str, domain: str) -> None:
    assert registrable_domain(url) == domain


def test_chinese_full_stop_separates_labels() -> None:
    assert registrable_domain("www.例子。中国") == "例子.中国"


def test_punycode_and_unicode_spellings_give_one_domain() -> None:
    assert registrable_domain("xn--fsqu00a.xn--fiqs8s") == registrable_domain("例子.中国")


@pytest.mark.parametrize(
    "no_domain",
    [
        "",
        "garbage",
        "http://192.168.1.1/admin",
        "10.0.0.1",
        "http://[::1]:8000/",
        "http://[unbalanced",
        "com.cn",
        "co.uk",
        "acme.local",
        "n.a",
        "acme..com",
        "-acme.com",
        "acme_corp.com",
    ],
)
def test_ips_public_suffixes_and_garbage_have_no_registrable_domain(no_domain: str) -> None:
    assert registrable_domain(no_domain) is None


def test_the_public_suffix_list_is_read_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the Public Suffix List must not be fetched at run time")

    monkeypatch.setattr(socket.socket, "connect", refuse_network)
    monkeypatch.setattr(socket, "create_connection", refuse_network)
    domains._public_suffix_list.cache_clear()  # force a fresh load of the list
    assert registrable_domain("shop.acme.co.uk") == "acme.co.uk"
