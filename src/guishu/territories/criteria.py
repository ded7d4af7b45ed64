"""Whether a customer falls under a rule, and the criteria's canonical form.

Plain Python on values already loaded: no queries. Free-text criteria (regions, industries,
sources) compare without case and with runs of spaces collapsed, because they are typed by
people ("Zhejiang", "zhejiang ", "ZHEJIANG" are one province); countries are ISO codes in
capitals; kinds and levels are codes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

# Rule field -> customer field.
FIELDS = {
    "regions": "region",
    "countries": "country",
    "industries": "industry",
    "kinds": "kind",
    "sources": "source",
    "levels": "level",
}
FREE_TEXT = frozenset({"regions", "industries", "sources"})


class CustomerFacts(Protocol):
    region: str
    country: str
    industry: str
    kind: str
    source: str
    level: str


def canonical(criterion: str, value: str) -> str:
    """A criterion's value as it is stored and compared."""
    text = " ".join(str(value).split())
    if criterion in FREE_TEXT:
        return text.casefold()
    if criterion == "countries":
        return text.upper()
    return text


def canonical_list(criterion: str, values: Iterable[str]) -> list[str]:
    """Canonical, without blanks and duplicates, in the order given."""
    found = (canonical(criterion, value) for value in values)
    return list(dict.fromkeys(value for value in found if value))


@dataclass(frozen=True)
class Criteria:
    """What a customer must meet to fall under a rule; an empty set means "any"."""

    values: dict[str, frozenset[str]]

    @classmethod
    def of(cls, rule: Any) -> "Criteria":
        return cls(
            {name: frozenset(canonical_list(name, getattr(rule, name) or ())) for name in FIELDS}
        )

    def matches(self, customer: CustomerFacts) -> bool:
        for criterion, field in FIELDS.items():
            wanted = self.values[criterion]
            if wanted and canonical(criterion, getattr(customer, field)) not in wanted:
                return False
        return True
