"""What a customers import does with each row, decided by the ownership engine: the same
plan for the preview (which writes nothing) and for the commit (which re-reads the database
under its locks and plans again before writing).

Business rules, for the owner each row is meant for (the importing rep; the owner column's
person; nobody when the rows go to a pool):

- a row the same as a stored customer is not a new customer: already the owner's (skipped),
  another rep's (a collision, never a merge nor a second owner; for a pool import, which
  claims nothing, only reported), or in the pool (reported, not claimed);
- a row the same as an earlier row is a duplicate inside the file; the first occurrence is
  the one imported. When the two rows name different owners (an owner column mixing two
  reps' customers), the later one is a collision with the first: the conflict is found now,
  before it becomes a fight;
- any other row is registered for its owner by the engine's Register rule: protection as the
  policy in force says, refused over the holding cap; possible matches are reported and kept
  as evidence, as a registration confirmed distinct keeps them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from guishu.customers.identity import CandidateMatch
from guishu.domain import (
    Accepted,
    Actor,
    Basis,
    Decision,
    Level,
    OwnershipState,
    Person,
    Policy,
    Register,
    Rejection,
    decide,
)
from guishu.imports.parse import CustomerRow
from guishu.matching import Verdict

# As registration: the strongest few `same` matches decide what the row is.
MAX_MATCHES_CONSIDERED = 5


class Outcome(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate_in_file"
    COLLISION = "collision"
    POOL_MATCH = "pool_match"
    ALREADY_YOURS = "already_yours"
    OWNED = "owned"  # a pool import's row that another rep already owns: reported only
    REFUSED = "refused"  # the engine refused to register it (holding cap, cannot own)
    INVALID = "invalid"


@dataclass(frozen=True)
class Term:
    """A matched customer's active ownership term, as the engine needs it."""

    owner: Person
    team_id: int | None
    basis: str
    started_at: datetime
    protected_until: datetime | None


@dataclass
class RowPlan:
    """What happens to one row. `owner_id`: who the row is meant for (for a collision, who
    attempted it). `customer_id`: the stored customer it is (None for a new one, or for a
    collision with a customer the same import creates from row `target_position`)."""

    position: int
    number: int
    outcome: Outcome
    owner_id: int | None = None
    customer_id: int | None = None
    target_position: int | None = None
    duplicate_of: int | None = None  # the spreadsheet row number of the first occurrence
    matches: tuple[CandidateMatch, ...] = ()
    decision: Decision | None = None
    reasons_of: CandidateMatch | None = None  # the match behind a collision

    @property
    def possible(self) -> bool:
        return self.outcome is Outcome.NEW and bool(self.matches)


@dataclass
class Snapshot:
    """What the database said when the rows were planned: the active terms of the matched
    customers (None: in the pool), their names, and each owner's actor (with the number of
    customers held) and policy."""

    terms: Mapping[int, Term | None]
    names: Mapping[int, str]
    actors: dict[int, Actor]
    policies: Mapping[int, Policy]


@dataclass
class Planner:
    """Plans the rows of one customers import in file order."""

    rule: str  # ImportJob.OwnerRule
    importer: Person
    snapshot: Snapshot
    now: datetime
    plans: list[RowPlan] = field(default_factory=list)

    def plan(
        self,
        rows: Sequence[CustomerRow | None],
        first_of: Sequence[int | None],
        matches: Mapping[int, Sequence[CandidateMatch]],
    ) -> list[RowPlan]:
        """`rows[i]` None is an invalid row; `first_of[i]` the first occurrence row i
        duplicates; `matches[i]` its stored matches."""
        self.plans = []
        for position, row in enumerate(rows):
            self.plans.append(self._one(position, row, first_of[position], matches))
        return self.plans

    def intended_owner(self, row: CustomerRow) -> int | None:
        if self.rule == "pool":
            return None
        if self.rule == "owner_column":
            return row.owner_id
        return self.importer.id

    def _one(
        self,
        position: int,
        row: CustomerRow | None,
        first: int | None,
        matches: Mapping[int, Sequence[CandidateMatch]],
    ) -> RowPlan:
        if row is None:
            return RowPlan(position, 0, Outcome.INVALID)
        owner = self.intended_owner(row)
        if first is not None:
            return self._duplicate(position, row, owner, self.plans[first])
        found = tuple(matches.get(position, ()))
        same = [c for c in found if c.match.verdict is Verdict.SAME][:MAX_MATCHES_CONSIDERED]
        if same:
            return self._existing(position, row, owner, same)
        return self._new(position, row, owner, found)

    # --- a stored customer ----------------------------------------------------------------

    def _existing(
        self, position: int, row: CustomerRow, owner: int | None, same: list[CandidateMatch]
    ) -> RowPlan:
        def rank(candidate: CandidateMatch) -> int:
            term = self.snapshot.terms.get(candidate.customer_id)
            if term is None:
                return 2
            return 0 if term.owner.id == owner else 1

        best = min(same, key=rank)  # stable: the best-scored of the best rank
        term = self.snapshot.terms.get(best.customer_id)
        plan = RowPlan(
            position,
            row.number,
            Outcome.POOL_MATCH,
            owner_id=owner,
            customer_id=best.customer_id,
            matches=tuple(same),
            reasons_of=best,
        )
        if term is None:
            return plan
        if owner is None:
            plan.outcome = Outcome.OWNED
            return plan
        plan.decision = self._register_existing(best.customer_id, term, owner)
        plan.outcome = Outcome.ALREADY_YOURS if term.owner.id == owner else Outcome.COLLISION
        return plan

    def _register_existing(self, customer_id: int, term: Term, owner: int) -> Rejection:
        """The engine's refusal to register an owned customer again: the collision's trace."""
        state = OwnershipState(
            customer_name=self.snapshot.names.get(customer_id, ""),
            known=True,
            owner=term.owner,
            basis=Basis(term.basis),
            owner_since=term.started_at,
            protected_until=term.protected_until,
        )
        actor = self.snapshot.actors[owner]
        decision = decide(state, Register(actor=actor), self.snapshot.policies[owner], self.now)
        assert isinstance(decision, Rejection), "an owned customer is never registered again"
        return decision

    # --- a duplicate inside the file ------------------------------------------------------

    def _duplicate(
        self, position: int, row: CustomerRow, owner: int | None, first: RowPlan
    ) -> RowPlan:
        plan = RowPlan(
            position,
            row.number,
            Outcome.DUPLICATE,
            owner_id=owner,
            duplicate_of=first.number,
            customer_id=first.customer_id,
        )
        target_owner = self._target_owner(first)
        if owner is None or target_owner is None or target_owner.id == owner:
            return plan
        if first.outcome is Outcome.COLLISION and first.owner_id == owner:
            return plan  # this person's collision with it is recorded once
        plan.outcome = Outcome.COLLISION
        if first.outcome is Outcome.NEW:
            # The customer the first occurrence registers, as it stands after that.
            plan.target_position = first.position
            assert isinstance(first.decision, Accepted)
            event = first.decision.events[0]
            term = Term(
                owner=target_owner,
                team_id=None,
                basis=Basis.REGISTERED,
                started_at=event.at,
                protected_until=event.protected_until,
            )
            customer_name = ""
        else:
            found = self.snapshot.terms.get(first.customer_id or 0)
            assert found is not None
            term = found
            customer_name = self.snapshot.names.get(first.customer_id or 0, "")
        state = OwnershipState(
            customer_name=customer_name,
            known=True,
            owner=term.owner,
            basis=Basis(term.basis),
            owner_since=term.started_at,
            protected_until=term.protected_until,
        )
        actor = self.snapshot.actors[owner]
        plan.decision = decide(
            state, Register(actor=actor), self.snapshot.policies[owner], self.now
        )
        return plan

    def _target_owner(self, first: RowPlan) -> Person | None:
        """Who owns (or will own) the customer the first occurrence stands for."""
        if first.outcome is Outcome.NEW and isinstance(first.decision, Accepted):
            return first.decision.events[0].to_owner
        if first.customer_id is not None:
            term = self.snapshot.terms.get(first.customer_id)
            return term.owner if term else None
        return None

    # --- a new customer -------------------------------------------------------------------

    def _new(
        self,
        position: int,
        row: CustomerRow,
        owner: int | None,
        possible: tuple[CandidateMatch, ...],
    ) -> RowPlan:
        plan = RowPlan(position, row.number, Outcome.NEW, owner_id=owner, matches=possible)
        if owner is None:
            return plan  # to the pool: nobody registers it
        actor = self.snapshot.actors[owner]
        state = OwnershipState.unregistered(row.data.name, Level(row.data.level))
        command = Register(actor=actor)
        decision = decide(state, command, self.snapshot.policies[owner], self.now)
        plan.decision = decision
        if isinstance(decision, Rejection):
            plan.outcome = Outcome.REFUSED
            return plan
        self.snapshot.actors[owner] = replace(actor, held=actor.held + 1)
        return plan


def summary(plans: Sequence[RowPlan]) -> dict[str, int]:
    """How many rows of each outcome (and how many new ones have possible matches)."""
    counts = {outcome.value: 0 for outcome in Outcome}
    counts["possible_match"] = 0
    for plan in plans:
        counts[plan.outcome.value] += 1
        if plan.possible:
            counts["possible_match"] += 1
    return counts
