"""An in-memory index of match profiles, for `guishu dedupe`, tests and benchmarks.

Business rule: candidates are the customers that share blocking keys with the one being
checked, most shared first; only they are compared. A key that more than ``max_bucket``
customers share is common (a business centre's switchboard, an agent's domain, a trade name
half the country uses): it finds nobody in particular, so it is not used to retrieve
candidates, and when it is a strong key it no longer counts as evidence (`compare`'s
``common_keys``). The database-backed check applies the same rules to its stored keys.
"""

from collections.abc import Iterator

from guishu.matching.blocking import blocking_keys
from guishu.matching.compare import Match, Verdict, compare
from guishu.matching.identity import IdentityKey, KeyKind
from guishu.matching.profile import MatchProfile

# How much one shared key of each kind says, for ranking candidates: an exact key more than a
# fuzzy one, and a trade name more than a letter-dropped variant of a word.
RETRIEVAL_WEIGHTS: dict[KeyKind, float] = {
    KeyKind.CREDIT_CODE: 8.0,
    KeyKind.PHONE: 8.0,
    KeyKind.EMAIL: 8.0,
    KeyKind.DOMAIN: 8.0,
    KeyKind.WECHAT: 8.0,
    KeyKind.NAME: 6.0,
    KeyKind.TRADE_NAME: 4.0,
    KeyKind.PINYIN: 3.0,
    KeyKind.NAME_TOKEN: 2.0,
    KeyKind.NAME_GRAM: 1.0,
    KeyKind.NAME_TYPO: 1.0,
}

_VERDICT_RANK = {Verdict.SAME: 0, Verdict.POSSIBLE: 1, Verdict.DIFFERENT: 2}


class MatchIndex:
    """Profiles by blocking key. Ids are expected to be unique; adding one twice keeps both."""

    def __init__(self, *, max_bucket: int = 50) -> None:
        self.max_bucket = max_bucket
        self._profiles: list[MatchProfile] = []
        self._buckets: dict[IdentityKey, list[int]] = {}
        self._common: set[IdentityKey] = set()
        self._common_frozen: frozenset[IdentityKey] = frozenset()
        # Keys of the indexed profiles by object identity: dedupe asks for the candidates of
        # every profile it added, and computing the keys twice was a fifth of its time.
        self._keys: dict[int, frozenset[IdentityKey]] = {}

    def __len__(self) -> int:
        return len(self._profiles)

    def __iter__(self) -> Iterator[MatchProfile]:
        return iter(self._profiles)

    def add(self, profile: MatchProfile) -> None:
        position = len(self._profiles)
        self._profiles.append(profile)
        keys = self._keys[id(profile)] = blocking_keys(profile)
        for key in keys:
            bucket = self._buckets.setdefault(key, [])
            bucket.append(position)
            if len(bucket) == self.max_bucket + 1:
                self._common.add(key)
                self._common_frozen = frozenset(self._common)

    def bucket_size(self, key: IdentityKey) -> int:
        return len(self._buckets.get(key, ()))

    def candidates(self, profile: MatchProfile, limit: int = 50) -> list[MatchProfile]:
        """Profiles sharing blocking keys with ``profile`` (itself excluded, by id), those
        sharing the most (weighted by kind) first, ties in the order they were added."""
        shared: dict[int, float] = {}
        keys = self._keys.get(id(profile))
        for key in keys if keys is not None else blocking_keys(profile):
            bucket = self._buckets.get(key)
            if bucket is None or len(bucket) > self.max_bucket:
                continue
            weight = RETRIEVAL_WEIGHTS[key.kind]
            for position in bucket:
                shared[position] = shared.get(position, 0.0) + weight
        ranked = sorted(shared, key=lambda position: (-shared[position], position))
        found = (self._profiles[position] for position in ranked)
        return [candidate for candidate in found if candidate.id != profile.id][:limit]

    def common_keys(self) -> frozenset[IdentityKey]:
        """Keys shared by more than ``max_bucket`` profiles."""
        return self._common_frozen


def find_matches(
    profile: MatchProfile, index: MatchIndex, *, limit: int = 50
) -> list[tuple[MatchProfile, Match]]:
    """The indexed profiles judged SAME or POSSIBLE, best first (SAME, then by score)."""
    common = index.common_keys()
    judged = [
        (candidate, compare(profile, candidate, common_keys=common))
        for candidate in index.candidates(profile, limit)
    ]
    kept = [(candidate, match) for candidate, match in judged if match.verdict != Verdict.DIFFERENT]
    kept.sort(key=lambda item: (_VERDICT_RANK[item[1].verdict], -item[1].score, item[0].id))
    return kept
