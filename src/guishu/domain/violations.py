"""Detecting violations of the ownership rules: the facts in, a verdict out.

Three kinds, each a warning or points once a manager confirms it (`Policy.violation_points`):

- worked_other: working another rep's customer (a follow-up, an order, or a touchpoint with
  someone whose contact details are that customer's) without being its collaborator;
- evasive_edit: changing what identifies a customer so that it no longer collides. Either a
  rep whose registration was refused registers a lookalike without the identifiers that
  caused the refusal, or a rep edits their own customer and drops an identifier it shared
  with another rep's customer;
- claim_cycling: claiming one customer `claim_cycling_count` times within
  `claim_cycling_days`, letting it go in between, which restarts the clocks and keeps it
  out of colleagues' reach.

Pure like the rest of the domain: moments, keys and the policy are arguments. Detection never
refuses anything; it only says what a manager should look at.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from guishu.domain.policy import Policy


class ViolationKind(StrEnum):
    WORKED_OTHER = "worked_other"
    EVASIVE_EDIT = "evasive_edit"
    CLAIM_CYCLING = "claim_cycling"


# Collision actions that are the rep working the customer, as opposed to trying to get it
# (a registration, a claim) or to give their own customer its details (an edit).
WORKING_ACTIONS = frozenset({"follow_up", "contact_overlap"})


def violation_points(policy: Policy, kind: ViolationKind) -> int:
    """Points the kind earns once confirmed; 0 makes it a warning only."""
    return max(0, int(policy.violation_points.get(kind.value, 0)))


def worked_other(*, action: str, collaborating: bool, oversees_owner: bool = False) -> bool:
    """A collision that is work on another rep's customer, by someone not collaborating on
    it. A collaborator's follow-up still collides (the engine knows owners, not
    collaborators), but it is their job, not a violation; nor is a manager's touch on a
    customer of someone they oversee (their follow-ups are accepted, and only a touchpoint
    with its contact details is recorded, as an early warning)."""
    return action in WORKING_ACTIONS and not collaborating and not oversees_owner


def claim_cycle(
    claims: Iterable[datetime],
    *,
    now: datetime,
    policy: Policy,
    covered_until: datetime | None = None,
) -> tuple[datetime, ...] | None:
    """The claims that make a claim/release cycle at `now`, or None.

    `claims` are one rep's claims of one customer. A cycle is `claim_cycling_count` claims
    within the `claim_cycling_days` up to `now`. Claims up to `covered_until` (the last claim
    of a cycle already recorded) belong to that cycle and are not counted again, so one cycle
    is one violation; the next needs as many fresh claims.
    """
    count = policy.claim_cycling_count
    if count < 2:
        return None  # a single claim is no cycle, whatever a policy says
    since = now - timedelta(days=policy.claim_cycling_days)
    fresh = sorted(
        at for at in claims if since <= at <= now and (covered_until is None or at > covered_until)
    )
    return tuple(fresh) if len(fresh) >= count else None


@dataclass(frozen=True)
class RefusedRegistration:
    """A registration of the rep's that was refused as a collision.

    `causing_keys` are the identity keys ("phone:+8613800138000", "name:acme tools") the
    submission shared with the customer it collided with: what made it a collision.
    `name_matches` says whether the later registration's name resembles the refused one's.
    """

    collision_id: int
    at: datetime
    causing_keys: frozenset[str]
    name_matches: bool


def evaded_registration(
    refused: Iterable[RefusedRegistration],
    *,
    registered_keys: frozenset[str],
    now: datetime,
    policy: Policy,
) -> RefusedRegistration | None:
    """The refused registration a successful one evades, or None (the latest if several).

    Evasion: within the dispute window after a refusal (the time the rep had to contest it
    openly), the same rep registers a customer whose name resembles the refused one but which
    carries none of the identifiers that caused the collision.
    """
    since = now - policy.dispute_window
    evaded = [
        attempt
        for attempt in refused
        if since <= attempt.at <= now
        and attempt.name_matches
        and attempt.causing_keys
        and attempt.causing_keys.isdisjoint(registered_keys)
    ]
    return max(evaded, key=lambda attempt: (attempt.at, attempt.collision_id), default=None)


def evaded_by_edit(
    *, shared_before: Mapping[str, frozenset[int]], keys_after: frozenset[str]
) -> dict[str, frozenset[int]]:
    """The identity keys an edit removed or altered that the customer shared with other
    reps' customers, each with those customers' ids: what stopped it looking like them.

    `shared_before` maps each key the customer had before the edit and another rep's
    customer also has to those customers.
    """
    return {
        key: others for key, others in shared_before.items() if others and key not in keys_after
    }
