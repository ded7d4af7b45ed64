"""People as the engine sees them: identity, role, and the counters the caps need."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    DIRECTOR = "director"
    ADMIN = "admin"


@dataclass(frozen=True)
class Person:
    """A user: the engine needs the id for decisions and the name for the trace."""

    id: int
    name: str
    role: Role = Role.REP
    active: bool = True

    @property
    def can_own(self) -> bool:
        """Reps and managers carry customers; directors and admins oversee them."""
        return self.active and self.role in (Role.REP, Role.MANAGER)


@dataclass(frozen=True)
class Actor:
    """Who asks, with the counts the caps are checked against (read inside the transaction).

    `manages` holds the ids of the people in a manager's team tree; `None` means everyone
    (directors and admins). Reps manage nobody.
    """

    person: Person
    held: int = 0
    locked: int = 0
    claims_today: int = 0
    manages: frozenset[int] | None = frozenset()

    @property
    def id(self) -> int:
        return self.person.id

    def oversees(self, person: Person | None) -> bool:
        """Whether this actor may act as a manager over `person`'s customers."""
        if not self.person.active:
            return False
        if self.person.role in (Role.DIRECTOR, Role.ADMIN):
            return True
        if self.person.role != Role.MANAGER or person is None:
            return False
        return self.manages is None or person.id in self.manages or person.id == self.id
