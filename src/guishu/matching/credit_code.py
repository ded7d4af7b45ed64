"""The unified social credit code (统一社会信用代码) of a Chinese organisation.

Business rule: the code is issued once per legal entity, so two customers with the same valid
code are the same company. GB 32100-2015 defines 18 characters from a 31-character alphabet; the
last one is a check character over the first 17, which catches almost every typing slip, so a
code that fails the check identifies nobody.
"""

import unicodedata

# The letters I, O, Z, S and V are left out of the alphabet because they read like 1, 0, 2, 5, U.
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: value for value, char in enumerate(_ALPHABET)}
# Weight i is 3**i mod 31, as tabulated in the standard.
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MODULUS = len(_ALPHABET)
_LENGTH = 18

# Separators people put into long codes to read them; they are not part of the code.
_SEPARATORS = frozenset("-‐‑‒–—")


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).upper()
    return "".join(char for char in text if not char.isspace() and char not in _SEPARATORS)


def _check_character(body: str) -> str:
    total = sum(_VALUES[char] * weight for char, weight in zip(body, _WEIGHTS, strict=True))
    return _ALPHABET[(_MODULUS - total % _MODULUS) % _MODULUS]


def normalise_credit_code(raw: str) -> str | None:
    """The code upper-cased without spaces or dashes, or None when it is not a valid code."""
    code = _clean(raw)
    if len(code) != _LENGTH or any(char not in _VALUES for char in code):
        return None
    if _check_character(code[:-1]) != code[-1]:
        return None
    return code


def is_valid_credit_code(raw: str) -> bool:
    """Whether the text is a valid code once spaces and dashes are removed and case ignored."""
    return normalise_credit_code(raw) is not None
