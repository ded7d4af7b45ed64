"""The unified social credit code (统一社会信用代码) and its GB 32100-2015 check character."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.matching import is_valid_credit_code, normalise_credit_code

# Written out here rather than imported, so the test checks the module against the standard.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, position, 31) for position in range(17)]  # 1, 3, 9, 27, 19, 26, ...

# The example printed in GB 32100-2015.
PUBLISHED_EXAMPLE = "91350100M000100Y43"


def with_check_character(body: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return body + ALPHABET[-total % 31]


def test_the_weights_are_the_ones_tabulated_in_the_standard() -> None:
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def test_the_published_example_is_valid() -> None:
    assert with_check_character(PUBLISHED_EXAMPLE[:17]) == PUBLISHED_EXAMPLE
    assert is_valid_credit_code(PUBLISHED_EXAMPLE)


@pytest.mark.parametrize("body", ["91110108MA01ABCD5", "12100000400000624", "52440300MJL12345X"])
def test_codes_with_the_right_check_character_are_valid(body: str) -> None:
    assert is_valid_credit_code(with_check_character(body))


def test_lower_case_spaced_and_dashed_codes_normalise_to_upper_case() -> None:
    assert normalise_credit_code(" 91350100-m000100-y43 ") == PUBLISHED_EXAMPLE
    assert normalise_credit_code("9135 0100 M000 100Y 43") == PUBLISHED_EXAMPLE


def test_full_width_codes_are_read_as_half_width() -> None:
    assert normalise_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == PUBLISHED_EXAMPLE


def test_a_code_with_the_wrong_check_character_is_invalid() -> None:
    assert not is_valid_credit_code("91350100M000100Y44")
    assert normalise_credit_code("91350100M000100Y44") is None


@pytest.mark.parametrize(
    "invalid",
    [
        "",
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19 characters
        "91350100I000100Y43",  # I is not in the alphabet
        "91350100O000100Y43",  # neither is O
        "91350100M000100Y4?",
        "not a code at all!",
    ],
)
def test_codes_of_the_wrong_shape_are_invalid(invalid: str) -> None:
    assert not is_valid_credit_code(invalid)
    assert normalise_credit_code(invalid) is None


def test_the_check_character_zero_is_used_when_the_sum_divides_by_31() -> None:
    # All zeros sum to 0, and 31 - 0 wraps round to the character "0".
    assert is_valid_credit_code("0" * 18)


bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@settings(max_examples=200, database=None)
@given(bodies)
def test_any_body_with_its_check_character_is_valid(body: str) -> None:
    assert normalise_credit_code(with_check_character(body)) == with_check_character(body)


@settings(max_examples=200, database=None)
@given(bodies, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_changing_any_one_character_of_a_valid_code_is_detected(
    body: str, position: int, replacement: str
) -> None:
    code = with_check_character(body)
    typo = code[:position] + replacement + code[position + 1 :]
    assert is_valid_credit_code(typo) == (typo == code)
