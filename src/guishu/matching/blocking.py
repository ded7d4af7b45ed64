"""Blocking keys: the few indexed keys that find the candidates worth comparing.

Business rule: a registration check must not compare a new customer with every stored one,
so each customer is stored under a small set of keys (about 25 at most) and only customers
sharing a key are compared. The exact keys find exact matches; the fuzzy keys find customers
whose names differ in the ways reps type them:

- TRADE_NAME: the Chinese trade name, so "字节跳动" finds "北京字节跳动科技有限公司";
- PINYIN: its pinyin, or a Latin name's distinctive words joined, so "Zijie Tiaodong
  Technology" and homophone typos (恒达/恒大) find "字节跳动" and "恒达";
- NAME_GRAM: two adjacent characters of a Chinese trade name of three or more, so a one-
  character typo in "字节跳动" still shares "字节";
- NAME_TOKEN: each distinctive Latin word, so "Acme Robotics" finds "Acme Robotix";
- PINYIN also holds the name part of each company domain, so "BYTEDANCE LTD." finds the
  customer whose website is bytedance.com, and "恒达" the one at hengda.com.cn;
- NAME_TYPO: a Latin name's distinctive words joined (or, when that is long, its longest
  word) with each letter deleted in turn, so a one-letter typo still shares a key with it
  ("acne" and "acme" share "ace"); short words' variants are shared by so many names that
  they go over the index's bucket limit and stop retrieving.
"""

from collections.abc import Iterator

from guishu.matching.identity import IdentityKey, KeyKind
from guishu.matching.profile import MatchProfile, NameProfile

# Names beyond these are rare aliases; they still give exact NAME keys, not fuzzy ones.
_FUZZY_NAMES = 3
_MAX_TOKENS_PER_NAME = 3
_MIN_TOKEN = 3
# Each deletion variant is a stored row, so only words of a useful length get them: shorter
# words have deletions shared by thousands of names, longer ones cost too many rows.
_TYPO_WORD_LENGTHS = range(4, 13)


def deletions(word: str) -> tuple[str, ...]:
    """The word itself and the word with each letter deleted once (a deletion neighbourhood).

    Two words one substitution, insertion or deletion apart always share one of these.
    """
    return (word, *(word[:index] + word[index + 1 :] for index in range(len(word))))


def domain_label(domain: str) -> str:
    """The name part of a registrable domain: "acme" for "acme.com.cn"."""
    return domain.split(".", 1)[0]


def _name_keys(name: NameProfile, fuzzy: bool) -> Iterator[IdentityKey]:
    yield IdentityKey(KeyKind.NAME, name.key)
    if not fuzzy or name.generic:
        return
    if len(name.pinyin) >= _MIN_TOKEN:
        yield IdentityKey(KeyKind.PINYIN, name.pinyin)
    if name.script == "zh":
        yield IdentityKey(KeyKind.TRADE_NAME, name.trade)
        if len(name.trade) >= 3:
            for index in range(len(name.trade) - 1):
                yield IdentityKey(KeyKind.NAME_GRAM, name.trade[index : index + 2])
        if len(name.trade) == 3:
            # The outer pair, so a slip in the middle character still shares a key.
            yield IdentityKey(KeyKind.NAME_GRAM, name.trade[0] + "*" + name.trade[2])
        return
    tokens = [token for token in name.tokens if len(token) >= _MIN_TOKEN]
    for token in tokens[:_MAX_TOKENS_PER_NAME]:
        yield IdentityKey(KeyKind.NAME_TOKEN, token)
    # The distinctive words joined, or when that is too long the longest word alone.
    typo_word = name.pinyin if len(name.pinyin) in _TYPO_WORD_LENGTHS else max(name.tokens, key=len)
    if len(typo_word) in _TYPO_WORD_LENGTHS:
        for variant in deletions(typo_word):
            yield IdentityKey(KeyKind.NAME_TYPO, variant)


def blocking_keys(profile: MatchProfile) -> frozenset[IdentityKey]:
    """The exact keys (name, phone, e-mail, domain, credit code, WeChat) and the fuzzy ones.

    Values are at most 200 characters, the stored column's width; longer ones are cut.
    """
    keys: set[IdentityKey] = set()
    for index, name in enumerate(profile.names):
        keys.update(_name_keys(name, fuzzy=index < _FUZZY_NAMES))
    keys.update(IdentityKey(KeyKind.PHONE, phone) for phone in profile.phones)
    keys.update(IdentityKey(KeyKind.EMAIL, email) for email in profile.emails)
    for domain in profile.domains:
        keys.add(IdentityKey(KeyKind.DOMAIN, domain))
        if len(domain_label(domain)) >= _MIN_TOKEN + 1:
            # Under PINYIN, where Latin names and pinyin of trade names meet it.
            keys.add(IdentityKey(KeyKind.PINYIN, domain_label(domain)))
    keys.update(IdentityKey(KeyKind.WECHAT, wechat) for wechat in profile.wechat_ids)
    if profile.credit_code:
        keys.add(IdentityKey(KeyKind.CREDIT_CODE, profile.credit_code))
    return frozenset(IdentityKey(key.kind, key.value[:200]) for key in keys if key.value)
