"""Importing activities: the rules of activity_log, row by row, in one transaction.

Each row is logged by its "by" person (the importer unless the file names someone the
importer manages). The owner's activity restarts the follow-up clock; a collaborator's is
accepted without restarting it; anyone else's is refused by the ownership engine and recorded
as a collision, with what the row held. An activity already recorded (same customer, person,
type, moment, note and outcome) or repeated in the file is skipped, so importing a file again
adds nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.activities.models import Activity
from guishu.activities.services import _as_collaborator
from guishu.customers.models import Contact
from guishu.disputes.models import Collaboration, Collision
from guishu.domain import (
    Accepted,
    Actor,
    Basis,
    Decision,
    FollowUp,
    Level,
    OwnershipState,
    Policy,
    decide,
)
from guishu.imports.parse import ActivityRow
from guishu.imports.records import RecordFile, customers_find
from guishu.ownership.engine_io import actor_for
from guishu.ownership.execute import OwnershipResult, execute
from guishu.ownership.models import Ownership
from guishu.ownership.policies import policy_in_force


class Outcome(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate_in_file"
    ALREADY = "already_recorded"
    COLLISION = "collision"
    REFUSED = "refused"
    INVALID = "invalid"


ActivityKey = tuple[int, int, str, datetime, str, str]


def activity_key(customer_id: int, by_id: int, row: ActivityRow) -> ActivityKey:
    return customer_id, by_id, row.kind, row.occurred_at, row.note.strip(), row.outcome.strip()


@dataclass
class ActivityPlan:
    outcomes: dict[int, Outcome]
    by: dict[int, User]  # position -> who logs it
    decisions: dict[int, Decision]  # the engine's answer, for the preview


def activities_plan(batch: RecordFile, user: User, now: datetime) -> ActivityPlan:
    """What each row becomes, as far as can be told without writing: the preview's answer,
    and the commit's list of rows to log (the engine decides those again, row by row)."""
    customers_find(batch, user, visible_only=False)
    named = {row.by_id for row in batch.rows if isinstance(row, ActivityRow) and row.by_id}
    people = User.objects.in_bulk(sorted(named | {user.pk}))
    policy = policy_in_force(team_id=user.team_id, at=now)
    importer = actor_for(user, policy, now)
    by: dict[int, User] = {}
    for position, row in enumerate(batch.rows):
        if not isinstance(row, ActivityRow):
            continue
        person = people[row.by_id or user.pk]
        if person.pk != user.pk and not importer.oversees(person.as_person()):
            reason = _("You may not log activities for %(person)s.") % {"person": person.name}
            batch.invalid(position, "by", person.name, reason)
        elif row.occurred_at > now:
            reason = _("A follow-up cannot be in the future.")
            batch.invalid(position, "when", row.occurred_at.isoformat(), reason)
        else:
            by[position] = person
    ids = sorted(set(batch.customer_of.values()))
    existing = {
        (customer_id, by_id, kind, at, note.strip(), outcome.strip())
        for customer_id, by_id, kind, at, note, outcome in Activity.objects.filter(
            customer_id__in=ids
        ).values_list("customer_id", "by_id", "kind", "occurred_at", "note", "outcome")
    }
    outcomes: dict[int, Outcome] = {}
    decisions: dict[int, Decision] = {}
    seen: set[ActivityKey] = set()
    judge = _Judge(ids, now)
    for position, row in enumerate(batch.rows):
        if not isinstance(row, ActivityRow) or position not in by:
            outcomes[position] = Outcome.INVALID
            continue
        key = activity_key(batch.customer_of[position], by[position].pk, row)
        if key in existing:
            outcomes[position] = Outcome.ALREADY
        elif key in seen:
            outcomes[position] = Outcome.DUPLICATE
        else:
            seen.add(key)
            decision = judge.decide(batch.customer_of[position], by[position], row)
            decisions[position] = decision
            outcomes[position] = outcome_of(decision)
    return ActivityPlan(outcomes=outcomes, by=by, decisions=decisions)


def outcome_of(decision: Decision) -> Outcome:
    if isinstance(decision, Accepted):
        return Outcome.NEW
    return Outcome.COLLISION if decision.is_collision else Outcome.REFUSED


class _Judge:
    """The engine's answer to each activity, from the customers' terms read once (for the
    preview; the commit asks execute, under the locks)."""

    def __init__(self, customer_ids: list[int], now: datetime) -> None:
        self.now = now
        self.terms = {
            term.customer_id: term
            for term in Ownership.objects.filter(
                customer_id__in=customer_ids, ended_at__isnull=True
            ).select_related("owner", "customer")
        }
        self.collaborating: dict[int, set[int]] = defaultdict(set)
        for customer_id, person in (
            Collaboration.objects.active(now)
            .filter(customer_id__in=customer_ids)
            .values_list("customer_id", "user_id")
        ):
            self.collaborating[customer_id].add(person)
        self.policies: dict[int | None, Policy] = {}
        self.actors: dict[int, Actor] = {}

    def decide(self, customer_id: int, person: User, row: ActivityRow) -> Decision:
        term = self.terms.get(customer_id)
        if term and term.owner_id != person.pk and person.pk in self.collaborating[customer_id]:
            return Accepted(events=())  # a collaborator's: accepted, no clock restarted
        policy = self.policies.setdefault(
            person.team_id, policy_in_force(team_id=person.team_id, at=self.now)
        )
        state = OwnershipState(
            customer_name=term.customer.name if term else "",
            level=Level(term.customer.level) if term else Level.C,
            known=True,
            owner=term.owner.as_person() if term else None,
            basis=Basis(term.basis) if term else None,
            owner_since=term.started_at if term else None,
            protected_until=term.protected_until if term else None,
        )
        command = FollowUp(
            actor=actor_for(person, policy, self.now), kind=row.kind, at=row.occurred_at
        )
        return decide(state, command, policy, self.now)


def activities_write(
    batch: RecordFile, plan: ActivityPlan, now: datetime
) -> tuple[dict[int, Outcome], int]:
    """Logs the rows planned as new, collisions or refusals, each through the engine as
    activity_log does (a refusal on another rep's customer records its collision). Returns
    the outcome of each and how many activities were logged."""
    contacts = _contacts_by_name(sorted(set(batch.customer_of.values())))
    outcomes = dict(plan.outcomes)
    logged = 0
    for position, outcome in plan.outcomes.items():
        row = batch.rows[position]
        if outcome not in (Outcome.NEW, Outcome.COLLISION, Outcome.REFUSED):
            continue
        assert isinstance(row, ActivityRow)
        person = plan.by[position]
        customer_id = batch.customer_of[position]
        result = _as_collaborator(person, customer_id, row.kind, row.occurred_at, now) or _log(
            person, customer_id, row, now
        )
        outcomes[position] = outcome_of(result.decision)
        if not result.accepted:
            continue
        activity = Activity.objects.create(
            customer_id=customer_id,
            by=person,
            kind=row.kind,
            channel=row.channel,
            occurred_at=row.occurred_at,
            duration_minutes=row.duration_minutes,
            outcome=row.outcome,
            note=row.note,
            customer_initiated=row.customer_initiated,
        )
        named = (contacts[(customer_id, name.strip().casefold())] for name in row.contact_names)
        linked = [pk for pk in named if pk is not None]
        if linked:
            activity.contacts.set(linked)
        logged += 1
    return outcomes, logged


def _log(person: User, customer_id: int, row: ActivityRow, now: datetime) -> OwnershipResult:
    def build(state: OwnershipState, policy: Policy) -> FollowUp:
        return FollowUp(actor=actor_for(person, policy, now), kind=row.kind, at=row.occurred_at)

    return execute(
        customer_id=customer_id,
        lock=[person],
        build=build,
        now=now,
        attempted_by=person,
        collision_action=Collision.Action.FOLLOW_UP,
        submitted={"activity": row.entered(), "import_row": row.number},
    )


def _contacts_by_name(customer_ids: list[int]) -> defaultdict[tuple[int, str], int | None]:
    found: defaultdict[tuple[int, str], int | None] = defaultdict(lambda: None)
    for pk, customer_id, name in Contact.objects.filter(customer_id__in=customer_ids).values_list(
        "pk", "customer_id", "name"
    ):
        found.setdefault((customer_id, name.strip().casefold()), pk)
    return found
