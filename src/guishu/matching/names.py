"""The exact-match key of a company or person name.

Business rule: names that differ only in how they were typed are the same name. Case, width
(full-width "ＡＣＭＥ"), accents, punctuation, spacing, a leading "The" and the legal form
("Co., Ltd", "GmbH", "有限公司") do not tell two customers apart, so they are removed:
"The Acme Co., Ltd" and "ACME Corporation" both give "acme". This is the exact key that
`identity_keys` stores; the parsed names that fuzzy matching compares (regions, trade name,
pinyin, traditional-to-simplified) are in `chinese_names` and `latin_names`.
"""

from guishu.matching.text import fold_letters, words

# Legal-form words that end company names, written as their letters without dots or spaces,
# because people write "S.A.", "S A" and "SA" alike. "andco" is the "& Co." of partnerships.
LATIN_LEGAL_FORMS = frozenset(
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

# Longer than any form, including the pinyin ones ("gufenyouxiangongsi") other modules pass in.
_LONGEST_FORM = 24

# Chinese legal forms. Suffixes are removed again and again, so "集团有限公司" needs only
# "有限公司" and "集团", but the full forms are listed to make the rule readable.
_CHINESE_LEGAL_FORMS = tuple(
    sorted(
        {"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "集团", "公司"},
        key=len,
        reverse=True,
    )
)


def drop_trailing_latin_form(tokens: list[str], forms: frozenset[str] = LATIN_LEGAL_FORMS) -> bool:
    """Removes the longest legal form ending the word list; whether one was removed.

    Forms are looked up as their letters without dots or spaces, so "S. de R.L." spans words.
    """
    # Longest first, so "S. de R.L." goes as one form rather than "R.L." alone.
    joined = ""
    candidates: list[int] = []
    for count in range(1, len(tokens) + 1):
        joined = tokens[-count] + joined
        if len(joined) > _LONGEST_FORM:
            break
        if joined in forms:
            candidates.append(count)
    if not candidates:
        return False
    del tokens[-candidates[-1] :]
    return True


def _drop_trailing_chinese_form(tokens: list[str]) -> bool:
    # Chinese is written without spaces, so the form is looked for across word boundaries.
    joined = "".join(tokens)
    for form in _CHINESE_LEGAL_FORMS:
        if joined.endswith(form):
            remaining = len(form)
            while remaining:
                last = tokens.pop()
                if len(last) > remaining:
                    tokens.append(last[:-remaining])
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
    found = words(fold_letters(name))
    if len(found) > 1 and found[0] == "the":
        del found[0]
    while drop_trailing_latin_form(found) or _drop_trailing_chinese_form(found):
        pass
    return "".join(found)
