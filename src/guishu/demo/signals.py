"""Identity signals that look real and pass the project's own checks: phone numbers that
libphonenumber accepts, unified social credit codes with the right check character, web
domains spelled the way companies spell them, and Chinese personal names."""

import random
import unicodedata

import phonenumbers

from guishu.demo import names
from guishu.matching import is_valid_credit_code

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_GERMAN: dict[str, str | int | None] = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_GERMAN_FOLDS = str.maketrans(_GERMAN)


def digits(rng: random.Random, pattern: str) -> str:
    """Fills a pattern: N is any digit, X a digit from 2 to 9."""
    return "".join(
        str(rng.randint(0, 9)) if ch == "N" else str(rng.randint(2, 9)) if ch == "X" else ch
        for ch in pattern
    )


def valid_phone(rng: random.Random, pattern: str) -> str:
    """A number in `pattern` that libphonenumber accepts as a real, dialable number."""
    for _ in range(40):
        number = digits(rng, pattern)
        if phonenumbers.is_valid_number(phonenumbers.parse(number, None)):
            return number
    raise RuntimeError(f"no valid phone number for the pattern {pattern}")


def credit_code(rng: random.Random, division: str) -> str:
    """A unified social credit code (统一社会信用代码) for a company in `division`.

    "91" (a company registered with market regulation), the division code, a nine-character
    organisation code with its GB 11714 check digit, and the check character that the
    project's own validator accepts.
    """
    body = "".join(str(rng.randint(0, 9)) for _ in range(8))
    total = sum(int(ch) * w for ch, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    org = body + {10: "X", 11: "0"}.get(check, str(check))
    stem = f"91{division}{org}"
    for char in CREDIT_ALPHABET:
        if is_valid_credit_code(stem + char):
            return stem + char
    raise AssertionError("every stem has exactly one check character")


def slug(text: str) -> str:
    """ASCII letters and digits for a web domain: "Schröder" -> "schroeder"."""
    folded = text.lower().translate(_GERMAN_FOLDS)
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain if ch.isalnum())


def chinese_name(rng: random.Random) -> str:
    surname = names.SURNAMES[min(int(rng.expovariate(1 / 18)), len(names.SURNAMES) - 1)]
    given = "".join(rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return surname + given


def mobile(rng: random.Random) -> str:
    number = rng.choice(names.MOBILE_PREFIXES) + digits(rng, "NNNNNNNN")
    return rng.choice((number, f"{number[:3]} {number[3:7]} {number[7:]}"))
