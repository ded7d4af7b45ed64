"""Places: one spelling per city, in Chinese, pinyin or as typed."""

import pytest

from guishu.matching.places import canonical_place, latin_places, locate


@pytest.mark.parametrize(
    "spelling",
    ["深圳", "深圳市", "Shenzhen", "SHENZHEN CITY", "广东省深圳市南山区科技园", "廣東深圳"],
)
def test_spellings_of_one_city_give_one_place(spelling: str) -> None:
    assert canonical_place(spelling) == "深圳"


def test_a_province_alone_stays_the_province() -> None:
    assert canonical_place("广东省") == "广东"
    assert locate("广东").province == "广东"
    assert locate("广东").city is None


def test_municipalities_are_their_own_province_and_city() -> None:
    assert locate("北京").province == locate("北京").city == "北京"


def test_unknown_places_keep_their_folded_spelling() -> None:
    assert canonical_place("München") == canonical_place("MUENCHEN") == "muenchen"
    assert canonical_place("余杭区") == "余杭"


def test_empty_text_is_no_place() -> None:
    assert canonical_place("") is None
    assert canonical_place(None) is None


def test_a_pinyin_shared_by_two_cities_is_not_placed_on_the_map() -> None:
    assert latin_places()["taizhou"] == "taizhou"  # 台州 and 泰州
    assert locate("taizhou").province is None
