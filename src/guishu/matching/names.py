"""The exact-match key of a company or person name.

Business rule: names that differ only in how they were typed are the same name. Case, width
(full-width "ＡＣＭＥ"), accents, punctuation, spacing, a leading "The" and the legal form
("Co., Ltd", "GmbH", "有限公司") do not tell two customers apart, so they are removed:
"The Acme Co., Ltd" and "ACME Corporation" both give "acme". This is the exact level only;
fuzzy matching, pinyin and traditional-to-simplified conversion come later, on top of it.
"""

import unicodedata

# Legal-form words that end company names, written as their letters without dots or spaces,
# because people write "S.A.", "S A" and "SA" alike. "andco" is the "& Co." of partnerships.
_LATIN_LEGAL_FORMS = frozenset(
    {
        # English-speaking countries
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation",
        "co", "company", "andco", "plc", "pty", "pte", "pvt",
        # German-speaking countries
        "gmbh", "mbh", "ag", "kg", "ohg", "ug",
        # Romance languages
        "sa", "sas", "sarl", "eurl", "sl", "slu", "srl", "spa", "snc", "ltda", "lda",
        "sadecv", "sab", "sabdecv", "sderl",
        # Benelux, the Nordics, central Europe
        "bv", "nv", "vof", "oy", "oyj", "ab", "as", "asa", "aps", "kft", "zrt", "sro",
        "spolsro", "spzoo",
        # Asia
        "kk", "gk", "bhd", "sdnbhd", "tbk",
    }
)  # fmt: skip

# Chinese legal forms. Suffixes are removed again and again, so "集团有限公司" needs only
# "有限公司" and "集团", but the full forms are listed to make the rule readable.
_CHINESE_LEGAL_FORMS = tuple(
    sorted(
        {"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "集团", "公司"},
        key=len,
        reverse=True,
    )
)

_LONGEST_LATIN_FORM = max(len(form) for form in _LATIN_LEGAL_FORMS)

# Letters that carry their accent in the letter itself, spelled as they are transliterated
# (German "ü" is "ue" in "Mueller"). Other accents are dropped further down.
_LETTER_FOLDS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "ø": "oe", "œ": "oe", "ł": "l", "đ": "d"}
)

# NFKC would spell these out as letters ("Acme™" → "acmetm").
_MARKS_THAT_ARE_NOT_LETTERS = str.maketrans({"™": " ", "℠": " "})


def _fold_case_and_width(text: str) -> str:
    # NFKC again after casefold, because casefold can produce characters that NFKC rewrites.
    text = unicodedata.normalize("NFKC", text.translate(_MARKS_THAT_ARE_NOT_LETTERS))
    return unicodedata.normalize("NFKC", text.casefold())


def _strip_latin_accents(text: str) -> str:
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


def _words(text: str) -> list[str]:
    """Runs of letters, marks and digits; everything else (punctuation, spaces, symbols) splits.

    A mark that does not follow a letter or digit has nothing to modify and is dropped.
    """
    words: list[str] = []
    current: list[str] = []
    for char in text:
        kind = unicodedata.category(char)[0]
        if kind in "LN" or (kind == "M" and current):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _drop_trailing_latin_form(words: list[str]) -> bool:
    # Longest first, so "S. de R.L." goes as one form rather than "R.L." alone.
    joined = ""
    candidates: list[int] = []
    for count in range(1, len(words) + 1):
        joined = words[-count] + joined
        if len(joined) > _LONGEST_LATIN_FORM:
            break
        if joined in _LATIN_LEGAL_FORMS:
            candidates.append(count)
    if not candidates:
        return False
    del words[-candidates[-1] :]
    return True


def _drop_trailing_chinese_form(words: list[str]) -> bool:
    # Chinese is written without spaces, so the form is looked for across word boundaries.
    joined = "".join(words)
    for form in _CHINESE_LEGAL_FORMS:
        if joined.endswith(form):
            remaining = len(form)
            while remaining:
                last = words.pop()
                if len(last) > remaining:
                    words.append(last[:-remaining])
                    break
                remaining -= len(last)
            return True
    return False


def normalise_name(name: str) -> str:
    """The exact-match key of a name; "" when nothing identifying is left (e.g. "Ltd").

    Full-width is read as half-width, case is folded, "&" reads as "and", accents are folded
    ("Müller" = "Mueller"), punctuation and spaces go, and so do a leading "The" and any number
    of legal forms at the end. Brackets go but their content stays: "字节跳动（北京）" keeps 北京.
    """
    text = _fold_case_and_width(name).translate(_LETTER_FOLDS).replace("&", " and ")
    words = _words(_strip_latin_accents(text))
    if len(words) > 1 and words[0] == "the":
        del words[0]
    while _drop_trailing_latin_form(words) or _drop_trailing_chinese_form(words):
        pass
    return "".join(words)
