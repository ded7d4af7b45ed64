"""Text folding shared by every name and place parser.

Business rule: how a name was typed never tells two customers apart. Full-width letters from a
Chinese input method, case, accents on Latin letters, traditional characters and punctuation
are folded away before anything is compared, so that "ＡＣＭＥ", "Acme", "字節跳動" and "字节跳动"
each read as one spelling.
"""

import functools
import unicodedata

import opencc

# Letters that carry their accent in the letter itself, spelled as they are transliterated
# (German "ü" is "ue" in "Mueller"). Other accents are dropped by strip_latin_accents.
_LETTER_FOLDS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "ø": "oe", "œ": "oe", "ł": "l", "đ": "d"}
)

# NFKC would spell these out as letters ("Acme™" → "acmetm").
_MARKS_THAT_ARE_NOT_LETTERS = str.maketrans({"™": " ", "℠": " "})


def fold_case_and_width(text: str) -> str:
    """NFKC (full-width → half-width, "（" → "("), then case folding."""
    # NFKC again after casefold, because casefold can produce characters that NFKC rewrites.
    text = unicodedata.normalize("NFKC", text.translate(_MARKS_THAT_ARE_NOT_LETTERS))
    return unicodedata.normalize("NFKC", text.casefold())


def strip_latin_accents(text: str) -> str:
    """Drops accents on Latin letters ("é" → "e") and keeps the marks other scripts need.

    A mark after a non-ASCII letter is kept because there it is part of the letter: the kana
    voicing mark makes "ガ" differ from "カ", and "й" is a different letter from "и".
    """
    kept: list[str] = []
    base_is_ascii = True
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if not base_is_ascii:
                kept.append(char)
            continue
        base_is_ascii = char.isascii()
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def fold_letters(text: str) -> str:
    """Case, width, transliterated letters ("ü" → "ue") and accents folded; "&" reads "and"."""
    text = fold_case_and_width(text).translate(_LETTER_FOLDS).replace("&", " and ")
    return strip_latin_accents(text)


def words(text: str) -> list[str]:
    """Runs of letters, marks and digits; everything else (punctuation, spaces, symbols) splits.

    A mark that does not follow a letter or digit has nothing to modify and is dropped.
    """
    found: list[str] = []
    current: list[str] = []
    for char in text:
        kind = unicodedata.category(char)[0]
        if kind in "LN" or (kind == "M" and current):
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def word_set(listing: str) -> frozenset[str]:
    """The whitespace-separated words of a listing, for vocabulary tables written as prose."""
    return frozenset(listing.split())


def is_han(char: str) -> bool:
    """Whether the character is a CJK ideograph (the basic block or extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def has_han(text: str) -> bool:
    return any(is_han(char) for char in text)


@functools.cache
def _t2s() -> opencc.OpenCC:
    # Loaded on first use: the dictionaries ship inside the wheel and are read from disk.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as their simplified forms ("字節跳動" → "字节跳动").

    Applied twice it changes nothing more; text without Han characters is returned as is.
    """
    if not has_han(text):
        return text
    return str(_t2s().convert(text))
