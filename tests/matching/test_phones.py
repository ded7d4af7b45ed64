"""Phone numbers and WhatsApp IDs as E.164: one number, however it was typed, one key."""

import pytest

from guishu.matching import normalise_phone, normalise_whatsapp_id


@pytest.mark.parametrize(
    "typed",
    [
        "+86 138-0013-8000",
        "13800138000",
        "0086 13800138000",
        "(+86)138 0013 8000",
        "+86 138 0013 8000",
        "138 0013 8000",
    ],
)
def test_chinese_mobile_typed_many_ways_normalises_to_one_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+8613800138000"


def test_full_width_and_spaced_phone_numbers_normalise_to_the_same_e164() -> None:
    assert normalise_phone("＋８６ １３８ ００１３ ８０００") == "+8613800138000"


def test_international_number_keeps_its_own_country_code() -> None:
    assert normalise_phone("+1 (415) 555-0132") == "+14155550132"


def test_numbers_without_a_country_code_are_read_as_chinese_by_default() -> None:
    assert normalise_phone("010 1234 5678") == "+861012345678"


def test_numbers_without_a_country_code_are_read_in_the_given_region() -> None:
    assert normalise_phone("(415) 555-0132", "US") == "+14155550132"
    assert normalise_phone("020 7946 0018", "gb") == "+442079460018"


def test_an_unknown_region_falls_back_to_china() -> None:
    assert normalise_phone("13800138000", "Narnia") == "+8613800138000"


@pytest.mark.parametrize(
    "with_extension",
    ["+1 415 555 0132 ext. 9", "+1 415 555 0132 x9", "+1 415 555 0132;ext=9"],
)
def test_extensions_are_dropped(with_extension: str) -> None:
    assert normalise_phone(with_extension) == "+14155550132"


def test_chinese_extension_marker_is_dropped() -> None:
    assert normalise_phone("010-12345678转123") == normalise_phone("010-12345678")


@pytest.mark.parametrize("not_a_number", ["", "   ", "n/a", "123", "call me", "+86 1"])
def test_text_that_is_not_a_possible_number_gives_none(not_a_number: str) -> None:
    assert normalise_phone(not_a_number) is None


def test_whatsapp_id_without_plus_is_read_as_international() -> None:
    # Read as a Chinese national number these digits would be +86 141 5555 0132.
    assert normalise_whatsapp_id("14155550132") == "+14155550132"
    assert normalise_whatsapp_id("8613800138000") == "+8613800138000"


def test_whatsapp_id_typed_as_a_local_number_is_read_in_the_customers_country() -> None:
    assert normalise_whatsapp_id("13800138000") == "+8613800138000"


def test_whatsapp_click_to_chat_link_gives_its_number() -> None:
    assert normalise_whatsapp_id("https://wa.me/8613800138000?text=hello") == "+8613800138000"


def test_whatsapp_id_with_plus_is_an_ordinary_phone_number() -> None:
    assert normalise_whatsapp_id("+44 20 7946 0018") == "+442079460018"


@pytest.mark.parametrize("not_an_id", ["", "wa.me/", "hello"])
def test_whatsapp_text_that_is_not_a_number_gives_none(not_an_id: str) -> None:
    assert normalise_whatsapp_id(not_an_id) is None
