"""Latin-script names: core words, legal forms of many countries, romanised Chinese names."""

import pytest

from guishu.matching.latin_names import legal_form_countries, parse_latin_name


@pytest.mark.parametrize(
    ("name", "distinctive"),
    [
        ("Acme Corp.", ("acme",)),
        ("ACME Corporation", ("acme",)),
        ("The Acme Co., Ltd", ("acme",)),
        ("Acme GmbH & Co. KG", ("acme",)),
        ("Acme S.A. de C.V.", ("acme",)),
        ("Acme Sp. z o.o.", ("acme",)),
        ("Acme Pty. Ltd.", ("acme",)),
        ("Acme Sdn. Bhd.", ("acme",)),
        ("Acme B.V.", ("acme",)),
        ("Acme A.Ş.", ("acme",)),
        ("Acme Ltd. Şti.", ("acme",)),
        ("Acme FZE", ("acme",)),
        ("Müller & Söhne GmbH", ("mueller", "soehne")),
        ("Société Générale S.A.", ("societe", "generale")),
        ("A.B.C. Trading Ltd", ("abc",)),
        ("Acme Trading International Ltd", ("acme",)),
    ],
)
def test_legal_forms_articles_and_descriptive_words_leave_the_distinctive_words(
    name: str, distinctive: tuple[str, ...]
) -> None:
    assert parse_latin_name(name).distinctive == distinctive


def test_ampersand_and_and_give_one_key() -> None:
    assert parse_latin_name("Smith & Jones Ltd").key == parse_latin_name("Smith and Jones").key


def test_a_romanised_chinese_name_loses_its_place_industry_and_pinyin_legal_form() -> None:
    parsed = parse_latin_name("Zijie Tiaodong Keji Youxian Gongsi (Beijing)")
    assert (parsed.regions, parsed.distinctive, parsed.legal_form) == (
        ("北京",),
        ("zijie", "tiaodong"),
        "youxiangongsi",
    )


def test_pinyin_industry_words_written_as_one_are_descriptive() -> None:
    assert parse_latin_name("Hengda Qichepeijian Co., Ltd.").distinctive == ("hengda",)


def test_hong_kong_in_two_words_is_one_place() -> None:
    assert parse_latin_name("Hong Kong Acme Ltd").regions == ("香港",)


def test_spaced_pinyin_syllables_are_not_read_as_a_city() -> None:
    # "Lin Yi" could spell 临沂, but cities are written as one word in romanised names.
    assert parse_latin_name("Lin Yi Feng Trading").distinctive == ("lin", "yi", "feng")


def test_a_name_that_is_only_a_place_keeps_the_place_as_its_name() -> None:
    parsed = parse_latin_name("Jinhua Machinery Ltd")
    assert (parsed.regions, parsed.distinctive) == ((), ("jinhua",))


def test_a_name_that_is_only_a_legal_form_keeps_it() -> None:
    assert parse_latin_name("Corp").key == "corp"


def test_a_generic_name_has_no_distinctive_words() -> None:
    assert parse_latin_name("Global Trading Ltd").distinctive == ()


def test_legal_forms_tell_the_countries_they_are_used_in() -> None:
    german = legal_form_countries(parse_latin_name("Acme GmbH & Co. KG").legal_form)
    dutch = legal_form_countries(parse_latin_name("Acme B.V.").legal_form)
    assert german is not None and "DE" in german
    assert dutch is not None and not german & dutch
    assert legal_form_countries(parse_latin_name("Acme").legal_form) is None
    assert legal_form_countries("co") is None  # "Co" goes with any form
