"""Company names in Latin letters: core words without legal form, "the", punctuation or accents.

Business rule: "Acme Corp.", "ACME Corporation" and "The Acme Co., Ltd" are one name; "Müller"
is "Mueller"; "&" is "and". The words that identify a company ("Acme") matter more than the
words that describe it ("Trading", "International"), so each name keeps its distinctive words
apart. Romanised Chinese names ("Shenzhen Hengda Keji Youxian Gongsi") are read the same way:
the place is cut off, pinyin legal forms and industry words are recognised, and what is left
("hengda") is compared with the pinyin of Chinese trade names.
"""

import functools
from dataclasses import dataclass

from guishu.matching.chinese_names import INDUSTRY_WORDS, pinyin_of
from guishu.matching.names import LATIN_LEGAL_FORMS, drop_trailing_latin_form
from guishu.matching.places import latin_places
from guishu.matching.text import fold_letters, word_set, words

# Legal forms beyond those of the exact key: pinyin ones, and a few more countries.
_EXTRA_LEGAL_FORMS = word_set(
    """
    youxiangongsi youxianzerengongsi gufenyouxiangongsi gufengongsi jituanyouxiangongsi gongsi
    jituan privatelimited ek se bvba sprl cv oue ou sti ltdsti jsc ojsc pjsc ooo zao
    fze fzco fzc fzllc
    """
)
LEGAL_FORMS = LATIN_LEGAL_FORMS | _EXTRA_LEGAL_FORMS

# Words that carry no identity anywhere in a name.
STOP_WORDS = word_set("the and of und et y e de der die das la le les el di da du")

# Words that describe a business rather than name it. A name made only of these ("Global
# Trading Ltd") is generic: equal spellings of it do not make two records one customer.
DESCRIPTIVE_WORDS = word_set(
    """
    technology technologies tech trading trade traders import imports export exports impexp imp
    exp industrial industries industry electronic electronics electric electrical machinery
    machine machines manufacturing manufacturer manufacturers mfg precision international intl
    development information network networks software garment garments apparel clothing fashion
    textile textiles chemical chemicals material materials equipment engineering investment
    investments consulting consultants logistics supply chain energy biotech biotechnology
    pharmaceutical pharmaceuticals pharma medical food foods product products solution solutions
    service services system systems enterprise enterprises group holding holdings global
    worldwide world general united partners associates management marketing sales distribution
    distributors distributor wholesale retail store stores shop commerce commercial auto
    automotive parts components tools hardware furniture home lighting plastics plastic rubber
    packaging printing paper metal metals steel aluminium aluminum solar power motor motors
    valves bearings hydraulics automation robotics instruments optical optics display telecom
    communications digital media advertising education travel hotel hotels realestate
    properties property construction building design lab labs laboratories research new
    """
)


# Countries whose companies use each legal form (ISO 3166 alpha-2). "Ltd" is the
# Commonwealth's and East Asia's English form, "Inc"/"Corp" North America's and East Asia's;
# "Co" and "& Co" are left out: they go with any form ("GmbH & Co. KG", "Co., Ltd.").
_ASIA = "CN HK MO TW JP KR SG MY PH VN TH ID"
_LIMITED = "GB IE AU NZ ZA IN PK BD LK NG KE GH IL MT CY CA AE SA QA " + _ASIA
_INCORPORATED = "US CA PR " + _ASIA
_FORM_COUNTRIES: dict[str, str] = {
    **dict.fromkeys(["inc", "incorporated", "corp", "corporation"], _INCORPORATED),
    **dict.fromkeys(["llc", "llp", "lp"], "US AE RU UA GE OM QA SA GB " + _ASIA),
    **dict.fromkeys(["ltd", "limited", "plc"], _LIMITED),
    "pty": "AU ZA", "pte": "SG", "pvt": "IN PK", "privatelimited": "IN PK",
    "sdnbhd": "MY", "bhd": "MY", "tbk": "ID", "kk": "JP", "gk": "JP",
    **dict.fromkeys(["gmbh", "mbh", "ag"], "DE AT CH LI"),
    **dict.fromkeys(["kg", "ohg", "ug", "ek"], "DE AT"),
    "sa": "FR ES BE CH LU PT BR AR MX CL CO PE UY EC PL GR",
    **dict.fromkeys(["sas", "sarl", "eurl"], "FR BE LU"), "snc": "FR IT",
    **dict.fromkeys(["sl", "slu"], "ES"), "srl": "IT RO AR MD", "spa": "IT",
    "ltda": "BR PT CO CL", "lda": "PT",
    **dict.fromkeys(["sadecv", "sabdecv", "sab", "sderl", "cv"], "MX"),
    **dict.fromkeys(["bv", "nv", "vof", "bvba", "sprl"], "NL BE"),
    "ab": "SE FI", "as": "NO DK EE CZ SK TR", "asa": "NO", "aps": "DK", "oy": "FI", "oyj": "FI",
    **dict.fromkeys(["kft", "zrt"], "HU"), **dict.fromkeys(["sro", "spolsro"], "CZ SK"),
    "spzoo": "PL", "sti": "TR", "ltdsti": "TR",
    **dict.fromkeys(["ooo", "zao", "ojsc", "pjsc"], "RU"),
    "jsc": "RU VN KZ UA", **dict.fromkeys(["fze", "fzco", "fzc", "fzllc"], "AE"),
    **dict.fromkeys(
        ["gongsi", "youxiangongsi", "youxianzerengongsi", "gufenyouxiangongsi", "gufengongsi",
         "jituan", "jituanyouxiangongsi"], "CN"),
}  # fmt: skip


def legal_form_countries(legal_form: str) -> frozenset[str] | None:
    """The countries a name's legal forms (as in ``LatinName.legal_form``) are used in.

    None when they say nothing: no form, only neutral ones ("Co"), or forms of no one country.
    "Acme GmbH" and "Acme B.V." have disjoint sets: two legal entities, in two countries.
    """
    found: frozenset[str] | None = None
    for form in legal_form.split():
        if form in _FORM_COUNTRIES:
            countries = frozenset(_FORM_COUNTRIES[form].split())
            found = countries if found is None else found & countries
    return found or None


@functools.cache
def _pinyin_industry_words() -> frozenset[str]:
    # "keji", "maoyi", ...: the industry words of romanised Chinese names.
    return frozenset(pinyin_of(word) for word in INDUSTRY_WORDS)


@functools.cache
def is_descriptive(token: str) -> bool:
    """An English descriptive word, or pinyin industry words written as one ("qichepeijian")."""
    if token in DESCRIPTIVE_WORDS:
        return True
    pinyin = _pinyin_industry_words()
    # Whether the token splits into pinyin industry words: reachable[i] says token[:i] does.
    reachable = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        reachable[end] = any(
            reachable[start] and token[start:end] in pinyin
            for start in range(max(0, end - 12), end)
        )
    return reachable[-1]


@dataclass(frozen=True, slots=True)
class LatinName:
    """A parsed Latin-script name; every word folded to lower-case ASCII where possible."""

    regions: tuple[str, ...]  # Chinese places named in it, canonical ("深圳" for "Shenzhen")
    region_words: tuple[str, ...]  # the same places as spelled, sorted ("shenzhen")
    tokens: tuple[str, ...]  # the words that are left, in order
    distinctive: tuple[str, ...]  # the tokens that are not descriptive
    legal_form: str

    @property
    def key(self) -> str:
        """The exact key: places first, so "Acme (Shenzhen)" and "Shenzhen Acme" are one."""
        return "".join((*self.region_words, *self.tokens))

    @property
    def industry(self) -> tuple[str, ...]:
        return tuple(token for token in self.tokens if is_descriptive(token))


def _join_initials(tokens: list[str]) -> list[str]:
    """ "A.B.C. Trading" reads as "abc trading": runs of single letters are one word."""
    joined: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(token)
    if run:
        joined.append(run)
    return joined


# Places written as two words. Other places are one word in romanised names ("Shenzhen"),
# while a trade name's syllables are often spaced ("Lin Yi Feng"): "lin yi" is not 临沂.
_TWO_WORD_PLACES = frozenset({"hongkong", "xian"})


def _cut_places(tokens: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(remaining tokens, canonical places, places as spelled); "hong kong" is one place."""
    places = latin_places()
    rest: list[str] = []
    canonical: list[str] = []
    spelled: list[str] = []
    index = 0
    while index < len(tokens):
        pair = "".join(tokens[index : index + 2])
        if index + 1 < len(tokens) and pair in _TWO_WORD_PLACES:
            canonical.append(places[pair])
            spelled.append(pair)
            index += 2
        elif tokens[index] in places:
            canonical.append(places[tokens[index]])
            spelled.append(tokens[index])
            index += 1
        else:
            rest.append(tokens[index])
            index += 1
    return rest, canonical, spelled


@functools.cache
def parse_latin_name(name: str) -> LatinName:
    """Splits a Latin-script name; see the module docstring for the rules. Never fails."""
    # Places first: "(Beijing)" may follow the legal form it would otherwise hide.
    tokens, regions, region_words = _cut_places(words(fold_letters(name)))
    legal: list[str] = []
    while True:
        before = list(tokens)
        # A name that is only a legal form ("Corp") keeps it: it is all there is to compare.
        if not drop_trailing_latin_form(tokens, LEGAL_FORMS) or not tokens:
            tokens = before
            break
        legal.insert(0, "".join(before[len(tokens) :]))
    legal_form = " ".join(legal)
    tokens = [token for token in tokens if token not in STOP_WORDS or len(tokens) == 1]
    tokens = _join_initials(tokens)
    distinctive = tuple(token for token in tokens if not is_descriptive(token))
    if not distinctive and region_words:
        # "Jinhua Machinery", "Shenzhen Ltd": the place is the name (a trade name may be one).
        tokens, regions, region_words = region_words + tokens, [], []
        distinctive = tuple(token for token in tokens if not is_descriptive(token))
    return LatinName(
        regions=tuple(sorted(set(regions))),
        region_words=tuple(sorted(region_words)),
        tokens=tuple(tokens),
        distinctive=distinctive,
        legal_form=legal_form,
    )
