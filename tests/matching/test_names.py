"""The exact-match name key: typing differences vanish, real differences stay."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.matching import normalise_name


@pytest.mark.parametrize("spelling", ["Acme Corp.", "ACME Corporation", "The Acme Co., Ltd"])
def test_case_punctuation_leading_the_and_legal_form_do_not_change_the_name(
    spelling: str,
) -> None:
    assert normalise_name(spelling) == "acme"


def test_german_umlauts_match_their_transliteration() -> None:
    assert normalise_name("Müller GmbH") == normalise_name("mueller gmbh") == "mueller"


def test_sharp_s_matches_double_s() -> None:
    assert normalise_name("Großhandel AG") == normalise_name("GROSSHANDEL AG")


def test_other_accents_on_latin_letters_are_dropped() -> None:
    assert normalise_name("Société Générale S.A.") == normalise_name("Societe Generale SA")


def test_kana_voicing_marks_are_part_of_the_letter_and_stay() -> None:
    assert normalise_name("ガス") != normalise_name("カス")


def test_cyrillic_short_i_stays_distinct_from_i() -> None:
    assert normalise_name("Май") != normalise_name("Маи")


def test_full_width_letters_read_as_half_width() -> None:
    assert normalise_name("ＡＣＭＥ　Ｔｒａｄｉｎｇ") == normalise_name("Acme Trading")


def test_ampersand_reads_as_and() -> None:
    assert normalise_name("Smith & Jones Ltd") == normalise_name("Smith and Jones")


def test_spacing_and_punctuation_are_ignored() -> None:
    assert normalise_name("Ac-me  Trading,  Inc.") == normalise_name("acmetrading")


def test_legal_forms_are_stripped_repeatedly_from_the_end() -> None:
    assert normalise_name("Acme GmbH & Co. KG") == "acme"
    assert normalise_name("Shenzhen Acme Technology Co., Ltd.") == "shenzhenacmetechnology"


@pytest.mark.parametrize("spelling", ["Acme S.A.", "Acme S A", "Acme SA", "ACME s.a."])
def test_dotted_and_spaced_legal_forms_are_recognised(spelling: str) -> None:
    assert normalise_name(spelling) == "acme"


def test_a_legal_form_inside_a_word_is_kept() -> None:
    # "sa" ends "Mesa" but is not a separate word there.
    assert normalise_name("Mesa") == "mesa"


def test_a_legal_form_in_the_middle_of_a_name_is_kept() -> None:
    assert normalise_name("Acme Ltd Trading") == "acmeltdtrading"


def test_the_is_only_dropped_at_the_start() -> None:
    assert normalise_name("Acme The Builder") == "acmethebuilder"
    assert normalise_name("Theory Ltd") == "theory"


@pytest.mark.parametrize("legal_form_only", ["Ltd", "Co., Ltd.", "GmbH", "有限公司", "  "])
def test_a_name_that_is_only_a_legal_form_gives_no_key(legal_form_only: str) -> None:
    assert normalise_name(legal_form_only) == ""


@pytest.mark.parametrize(
    "legal_form", ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "集团", "公司"]
)
def test_chinese_legal_forms_are_stripped(legal_form: str) -> None:
    assert normalise_name("北京字节跳动科技" + legal_form) == "北京字节跳动科技"


def test_chinese_company_name_matches_without_its_legal_form() -> None:
    assert normalise_name("北京字节跳动科技有限公司") == normalise_name("北京字节跳动科技")


def test_chinese_group_company_strips_both_group_and_legal_form() -> None:
    assert normalise_name("海尔集团股份有限公司") == "海尔"


def test_chinese_brackets_go_but_their_content_stays() -> None:
    assert normalise_name("字节跳动（北京）有限公司") == "字节跳动北京"
    assert normalise_name("字节跳动(北京)有限公司") == "字节跳动北京"


def test_mixed_latin_and_chinese_names_strip_the_chinese_legal_form() -> None:
    assert normalise_name("ACME（中国）有限公司") == "acme中国"


def test_person_names_are_normalised_the_same_way() -> None:
    assert normalise_name("  José  GARCÍA ") == normalise_name("jose garcia") == "josegarcia"
    assert normalise_name("王 小明") == "王小明"


def test_trademark_signs_are_not_spelled_out() -> None:
    assert normalise_name("Acme™") == normalise_name("Acme®") == "acme"


def test_different_companies_keep_different_keys() -> None:
    assert normalise_name("Acme Ltd") != normalise_name("Acne Ltd")


@settings(max_examples=500, database=None)
@given(st.text())
def test_normalising_a_name_twice_changes_nothing(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once


@settings(max_examples=300, database=None)
@given(
    st.lists(
        st.sampled_from(
            ["the", "Acme", "S.", "A.", "Co", "&", "Ltd", "有限", "公司", "集团", "K", "G"]
        ),
        max_size=8,
    )
)
def test_normalising_names_built_from_legal_form_fragments_is_idempotent(
    words: list[str],
) -> None:
    once = normalise_name(" ".join(words))
    assert normalise_name(once) == once
