"""Fair assignment (`lead_assign`): each pool customer goes to a rep picked by the first
territory rule it matches, through the ownership service `customer_assign`, with the why kept.

`customer_assign` is one durable transaction of its own (the ownership services are the only
writers of ownership), so a pick cannot share its transaction. Instead each customer takes
three short steps:

1. the pick: lock the rule's cursor row (FOR UPDATE; on SQLite the transaction already holds
   the write lock), check the customer is still in the pool and nobody is assigning it, load
   the candidates with their loads (held customers plus picks still in flight), choose,
   advance the cursor, and record the pick as a pending Assignment, all in one transaction;
2. `customer_assign`, with the reason "assigned by rule X (round-robin)";
3. the record: the Assignment becomes assigned (with its ownership event) or refused.

Picks under one rule therefore happen one at a time, each sees every earlier pick (a pending
one counts towards its rep's load), and no two take the same turn. A refusal that concerns the
rep (holding cap, cannot own, not managed) moves on to the next candidate; nothing one customer
meets fails the rest of a batch.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.domain import Policy, RejectionCode, TraceLine
from guishu.ownership.execute import OwnershipResult
from guishu.ownership.locking import lock_users
from guishu.ownership.models import Ownership
from guishu.ownership.policies import policy_for
from guishu.ownership.services import customer_assign
from guishu.territories.fairness import Candidate, Skip, load_balanced_pick, round_robin_pick
from guishu.territories.models import Assignment, Method, RuleCursor, TerritoryRule
from guishu.territories.selectors import active_rules, eligible_people, rule_for
from guishu.territories.words import skip_label, words

# A pick still pending after this long was left by a crash between its steps: it no longer
# counts towards a load nor keeps its customer from being assigned.
ABANDONED_AFTER = timedelta(minutes=10)
# Refusals about the rep, not the customer: the next candidate may well be accepted.
TRY_NEXT_REP = frozenset(
    {RejectionCode.HOLDING_CAP, RejectionCode.CANNOT_OWN, RejectionCode.NOT_PERMITTED}
)


class LeadStatus(StrEnum):
    ASSIGNED = "assigned"
    UNMATCHED = "unmatched"  # no rule matches: left in the pool
    NO_CANDIDATE = "no_candidate"  # a rule matches, but nobody under it can take it now
    REFUSED = "refused"  # the ownership rules refused (e.g. someone claimed it meanwhile)
    NOT_IN_POOL = "not_in_pool"  # owned, unknown, or being assigned by someone else


@dataclass(frozen=True)
class LeadOutcome:
    """What became of one customer, and why, in the words of the one who asked."""

    customer_id: int
    status: LeadStatus
    reason: str
    rule: TerritoryRule | None = None
    rep: User | None = None
    assignment: Assignment | None = None
    candidates: tuple[Candidate, ...] = ()
    trace: tuple[TraceLine, ...] = ()


def lead_assign(
    *, user: User, customer_ids: Iterable[int], now: datetime | None = None
) -> list[LeadOutcome]:
    """Assigns each pool customer of `customer_ids` (one, a batch, or new leads just imported
    into the pool) by the territory rules, on behalf of `user` (a manager over the reps, a
    director or an admin), and says for each what happened and why. A customer no rule matches,
    or that nobody under its rule can take, stays in the pool.

    Runs its own short transactions (see the module's docstring): never call it inside one.
    """
    batch = _Batch(
        user=user,
        now=now or timezone.now(),
        rules=active_rules(),
        manages=managed_user_ids(user),
    )
    return [batch.assign(customer_id) for customer_id in dict.fromkeys(customer_ids)]


@dataclass(frozen=True)
class _Pick:
    assignment: Assignment
    rule: TerritoryRule
    rep: User
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class _Batch:
    user: User
    now: datetime
    rules: Sequence[TerritoryRule]
    manages: frozenset[int] | None
    # The policy of each team met so far: a rep's holding cap follows their team's policy.
    policies: dict[int | None, Policy] = field(default_factory=dict)

    def assign(self, customer_id: int) -> LeadOutcome:
        refused: set[int] = set()
        while True:
            pick = self.pick(customer_id, frozenset(refused))
            if isinstance(pick, LeadOutcome):
                return pick
            try:
                result = customer_assign(
                    user=self.user,
                    customer_id=customer_id,
                    to=pick.rep,
                    reason=pick.assignment.reason,
                    now=self.now,
                )
            except BaseException:
                self.record(pick.assignment, None)
                raise
            assignment = self.record(pick.assignment, result)
            if result.accepted:
                return LeadOutcome(
                    customer_id=customer_id,
                    status=LeadStatus.ASSIGNED,
                    reason=assignment.reason,
                    rule=pick.rule,
                    rep=pick.rep,
                    assignment=assignment,
                    candidates=pick.candidates,
                    trace=result.decision.trace,
                )
            rejection = result.rejection
            assert rejection is not None
            if rejection.code in TRY_NEXT_REP:
                refused.add(pick.rep.pk)
                continue
            return LeadOutcome(
                customer_id=customer_id,
                status=LeadStatus.REFUSED,
                reason=_("refused by the ownership rules: %(why)s")
                % {"why": words(rejection.trace)},
                rule=pick.rule,
                rep=pick.rep,
                assignment=assignment,
                candidates=pick.candidates,
                trace=rejection.trace,
            )

    @transaction.atomic(durable=True)
    def pick(self, customer_id: int, refused: frozenset[int]) -> "_Pick | LeadOutcome":
        """Step 1: choose a rep under the customer's rule and record the pick as pending."""
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None or _owned(customer_id):
            return _not_in_pool(customer_id)
        rule = rule_for(customer, self.rules)
        if rule is None:
            return LeadOutcome(
                customer_id=customer_id,
                status=LeadStatus.UNMATCHED,
                reason=_("no territory rule matches %(customer)s: left in the pool")
                % {"customer": customer.name},
            )
        cursor = _locked_cursor(rule)
        if cursor is None:
            return _not_in_pool(customer_id)  # the rule was deleted a moment ago; ask again
        # Under the rule's lock: whoever assigns this customer concurrently matched the same
        # rule, so their pick is committed and visible by now.
        Assignment.objects.filter(
            customer_id=customer_id,
            status=Assignment.Status.PENDING,
            created_at__lt=timezone.now() - ABANDONED_AFTER,
        ).update(status=Assignment.Status.ABANDONED, finished_at=timezone.now())
        busy = Assignment.objects.filter(customer_id=customer_id, status=Assignment.Status.PENDING)
        if _owned(customer_id) or busy.exists():
            return _not_in_pool(customer_id)
        people = eligible_people(rule)
        if rule.method == Method.LOAD_BALANCED:
            # The people whose counts decide are locked, as the ownership services lock those
            # whose caps they check, so a claim cannot change a load while it is compared.
            lock_users(person.pk for person in people)
        candidates = self.candidates(people, refused)
        if rule.method == Method.ROUND_ROBIN:
            chosen = round_robin_pick(candidates, cursor.last_rep_id)
        else:
            chosen = load_balanced_pick(candidates)
        if chosen is None:
            return _nobody(customer, rule, candidates)
        rep = next(person for person in people if person.pk == chosen.id)
        reason = _("assigned by rule %(rule)s (%(method)s)") % {
            "rule": rule.name,
            "method": Method(rule.method).label,
        }
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    customer=customer,
                    rule=rule,
                    rule_name=rule.name,
                    method=rule.method,
                    rep=rep,
                    assigned_by=self.user,
                    candidates=[candidate.as_json() for candidate in candidates],
                    reason=reason,
                    at=self.now,
                )
        except IntegrityError:  # a pick for this customer under another rule won the race
            return _not_in_pool(customer_id)
        cursor.last_rep = rep
        cursor.turns += 1
        cursor.save(update_fields=["last_rep", "turns"])
        return _Pick(assignment=assignment, rule=rule, rep=rep, candidates=tuple(candidates))

    def candidates(self, people: list[User], refused: frozenset[int]) -> list[Candidate]:
        """Everyone the rule names, with their loads, and why each not ready is skipped."""
        ids = [person.pk for person in people]
        terms = Ownership.objects.filter(owner_id__in=ids, ended_at__isnull=True)
        counts = terms.values("owner_id").annotate(
            n=Count("pk"), unwon=Count("pk", filter=Q(deal_won_at__isnull=True))
        )
        held = {row["owner_id"]: row["n"] for row in counts}
        # What counts towards the cap: all held, or (if the policy says so) all but won ones.
        capped = {row["owner_id"]: row["unwon"] for row in counts}
        # Picks still being carried out: once the ownership service has committed one, its
        # customer is held (counted above) though the pick is not yet marked done, so it
        # must not be counted twice; nor if someone else got the customer instead.
        in_flight = Assignment.objects.filter(
            rep_id__in=ids,
            status=Assignment.Status.PENDING,
            created_at__gte=timezone.now() - ABANDONED_AFTER,
        ).exclude(
            Exists(
                Ownership.objects.filter(customer_id=OuterRef("customer_id"), ended_at__isnull=True)
            )
        )
        pending = dict(
            in_flight.values("rep_id").annotate(n=Count("pk")).values_list("rep_id", "n")
        )
        last = dict(
            Assignment.objects.filter(
                rep_id__in=ids,
                status__in=[Assignment.Status.ASSIGNED, Assignment.Status.PENDING],
            )
            .values("rep_id")
            .annotate(last=Max("at"))
            .values_list("rep_id", "last")
        )
        result = []
        for person in people:
            if self.manages is not None and person.pk not in self.manages:
                # Not the asker's to assign to; their counts are not the asker's to see.
                result.append(Candidate(id=person.pk, name=person.name, skipped=Skip.NOT_MANAGED))
                continue
            candidate = Candidate(
                id=person.pk,
                name=person.name,
                held=held.get(person.pk, 0),
                pending=pending.get(person.pk, 0),
                last_assigned_at=last.get(person.pk),
            )
            skipped = None
            if not person.is_active:
                skipped = Skip.INACTIVE
            elif not person.as_person().can_own:
                skipped = Skip.CANNOT_OWN
            elif person.pk in refused:
                skipped = Skip.REFUSED
            elif self.at_cap(person, held, capped, candidate.pending):
                skipped = Skip.HOLDING_CAP
            result.append(replace(candidate, skipped=skipped))
        return result

    def at_cap(
        self, person: User, held: dict[int, int], capped: dict[int, int], pending: int
    ) -> bool:
        if person.team_id not in self.policies:
            self.policies[person.team_id] = policy_for(person, at=self.now)
        policy = self.policies[person.team_id]
        counts = capped if policy.won_excluded_from_holding_cap else held
        return counts.get(person.pk, 0) + pending >= policy.max_held

    @transaction.atomic(durable=True)
    def record(self, assignment: Assignment, result: OwnershipResult | None) -> Assignment:
        """Step 3: what the ownership service did with the pick (None: it failed)."""
        if result is None:
            assignment.status = Assignment.Status.ABANDONED
        elif result.accepted:
            assignment.status = Assignment.Status.ASSIGNED
            assignment.event = result.events[0]
        else:
            assert result.rejection is not None
            assignment.status = Assignment.Status.REFUSED
            assignment.refusal_code = result.rejection.code.value
            assignment.refusal_trace = [line.as_json() for line in result.rejection.trace]
        assignment.finished_at = timezone.now()
        assignment.save(
            update_fields=["status", "event", "refusal_code", "refusal_trace", "finished_at"]
        )
        return assignment


def _owned(customer_id: int) -> bool:
    return Ownership.objects.filter(customer_id=customer_id, ended_at__isnull=True).exists()


def _locked_cursor(rule: TerritoryRule) -> RuleCursor | None:
    """The rule's cursor, locked for this transaction; made if missing (a rule saved other
    than through the services). None if the rule no longer exists."""
    cursor = RuleCursor.objects.select_for_update().filter(rule_id=rule.pk).first()
    if cursor is not None:
        return cursor
    try:
        with transaction.atomic():
            RuleCursor.objects.create(rule_id=rule.pk)
    except IntegrityError:  # made concurrently, or the rule is gone
        pass
    return RuleCursor.objects.select_for_update().filter(rule_id=rule.pk).first()


def _not_in_pool(customer_id: int) -> LeadOutcome:
    # One answer for owned, unknown and busy customers: no one learns here who owns what.
    return LeadOutcome(
        customer_id=customer_id,
        status=LeadStatus.NOT_IN_POOL,
        reason=_("not a pool customer (or another assignment of it is under way): left as it is"),
    )


def _nobody(customer: Customer, rule: TerritoryRule, candidates: list[Candidate]) -> LeadOutcome:
    if candidates:
        why = ", ".join(
            f"{candidate.name} ({skip_label(candidate.skipped)})" for candidate in candidates
        )
        reason = _(
            "rule %(rule)s matches %(customer)s, but none of its reps can take it now: "
            "%(why)s; left in the pool"
        ) % {"rule": rule.name, "customer": customer.name, "why": why}
    else:
        reason = _("rule %(rule)s matches %(customer)s, but names nobody; left in the pool") % {
            "rule": rule.name,
            "customer": customer.name,
        }
    return LeadOutcome(
        customer_id=customer.pk,
        status=LeadStatus.NO_CANDIDATE,
        reason=reason,
        rule=rule,
        candidates=tuple(candidates),
    )
