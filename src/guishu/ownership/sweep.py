"""The reclaim sweep: returns to the pool every owned customer whose reclaim is due, and
records a warning for every reclaim that has come within the warning window.

"No deal, no monopoly", by the engine's rules (`reclaim_forecast`). The database selects and
acts, in batches of terms walked in customer order, one short transaction each (the
statements are in sweep_sql.py); the engine, on the rows a batch acted on, names the rule and
writes the very event `customer_reclaim` would. See docs/sweep.md.

Race-free: a batch locks its customers (PostgreSQL; on SQLite the transaction holds the write
lock from its first statement) in ascending id order, the lock every ownership service takes
before it reads a term, and the UPDATE that ends terms repeats the due condition on the rows'
current values. A follow-up that commits first always wins; a second sweep finds nothing.
"""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from guishu.accounts.models import User
from guishu.disputes.collaboration import collaborations_expire
from guishu.domain import (
    EventKind,
    OwnershipState,
    Person,
    Policy,
    Reclaim,
    ReclaimForecast,
    ReclaimRule,
    Rejection,
    decide,
    reclaim_forecast,
)
from guishu.domain import OwnershipEvent as DomainEvent
from guishu.ownership import sweep_sql
from guishu.ownership.models import OwnershipEvent, ReclaimWarning
from guishu.ownership.sweep_sql import EVERYONE, OwnerScope, TermRow
from guishu.policies.store import Candidate, distinct_team_policies
from guishu.pools.routing import pool_route

logger = logging.getLogger(__name__)

BATCH_SIZE = 10_000


class SweepDisagreement(RuntimeError):
    """The engine refused a reclaim the database found due: the SQL no longer mirrors the
    rules. The batch is rolled back rather than reclaim on a guess."""


@dataclass(frozen=True)
class PlannedAction:
    """What a dry run found: a customer that would be reclaimed or warned about."""

    action: str  # "reclaim" or "warn"
    customer_id: int
    customer_name: str
    owner_id: int
    owner_name: str
    rule: ReclaimRule
    due_at: datetime


@dataclass
class SweepReport:
    """What one sweep did (or, in a dry run, would do) as of `at`.

    `raced` counts terms that were due when their batch selected them but had changed by the
    time it acted (a follow-up, a deal or another sweep got there first): left as they are.
    `collaborations_ended` counts time-boxed collaborations whose end date had come.
    """

    at: datetime
    dry_run: bool
    reclaimed: Counter[ReclaimRule] = field(default_factory=Counter)
    warned: int = 0
    raced: int = 0
    planned: list[PlannedAction] = field(default_factory=list)
    collaborations_ended: int = 0

    @property
    def reclaimed_total(self) -> int:
        return sum(self.reclaimed.values())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary (the task's return value)."""
        return {
            "at": self.at.isoformat(),
            "dry_run": self.dry_run,
            "reclaimed": {rule.value: self.reclaimed[rule] for rule in ReclaimRule},
            "warned": self.warned,
            "raced": self.raced,
            "collaborations_ended": self.collaborations_ended,
        }


def ownership_sweep(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    groups: Sequence[tuple[Policy, OwnerScope]] | None = None,
) -> SweepReport:
    """Reclaims every owned customer whose reclaim is due under the policy in force, and
    records a warning for every reclaim due within the warning window. A dry run writes
    nothing and lists what would happen. Safe to run twice, or twice at once.

    Each team with a policy of its own is swept under it; `groups` replaces the policies in
    force (the what-if simulation sweeps, dry, under a candidate policy).
    """
    now = now or timezone.now()
    report = SweepReport(at=now, dry_run=dry_run)
    for policy, scope in policy_scopes(now) if groups is None else groups:
        sweep = Sweep(now=now, policy=policy, report=report, scope=scope)
        after = 0
        while True:
            if dry_run:
                rows = sweep.plan_batch(after, batch_size)
            else:
                rows = sweep.batch(after, batch_size)
            if len(rows) < batch_size:
                break
            after = rows[-1].customer_id
    # Time-boxed access runs out by its own date, whatever the policy: one UPDATE.
    report.collaborations_ended = collaborations_expire(now=now, dry_run=dry_run)
    return report


def policy_scopes(
    at: datetime, candidate: Candidate | None = None
) -> list[tuple[Policy, OwnerScope]]:
    """Each policy in force at `at` with the owners it governs: every team with overrides of
    its own (or inherited) sweeps under its policy; everyone else under the company's. With a
    `candidate`, as if it had been saved (the what-if simulation)."""
    groups = distinct_team_policies(at, candidate)
    overridden = tuple(team for _policy, teams in groups for team in teams or ())
    scopes = [(groups[0][0], OwnerScope(excluded=overridden))]
    scopes += [(policy, OwnerScope(teams=tuple(teams))) for policy, teams in groups[1:] if teams]
    return scopes


@dataclass
class Sweep:
    """One sweep's state across its batches: its moment, the policy, the report, the owners."""

    now: datetime
    policy: Policy
    report: SweepReport
    scope: OwnerScope = EVERYONE
    owners: dict[int, Person] = field(default_factory=dict)

    @transaction.atomic(durable=True)
    def batch(self, after: int, size: int) -> list[TermRow]:
        """One transaction: lock the next batch of customers due or nearly due, end the due
        terms still due, write their events, record the warnings."""
        rows = sweep_sql.select_candidates(
            after, self.now, self.policy, size, lock=True, scope=self.scope
        )
        self._load_owners(rows)
        due = [row.term_id for row in rows if row.due_now]
        ended = sweep_sql.end_due_terms(due, self.now, self.policy, self.scope)
        self.report.raced += len(due) - len(ended)
        events = []
        recorded_at = timezone.now()
        for row in ended:
            event = self._reclaim_event(row)
            self.report.reclaimed[ReclaimRule(event.evidence["rule"])] += 1
            events.append(_event_row(row.customer_id, event, recorded_at))
        sweep_sql.insert_rows(OwnershipEvent, events)
        pool_route([(row.customer_id, row.owner_id) for row in ended], now=self.now)
        warnings = [
            _warning_row(row, forecast, self.now) for row, forecast in self._nearly_due(rows)
        ]
        unique = ["term_id", "rule", "due_at"]
        self.report.warned += sweep_sql.insert_new_rows(ReclaimWarning, warnings, unique)
        return rows

    def plan_batch(self, after: int, size: int) -> list[TermRow]:
        """The dry run of one batch: the same selection and judgement, no locks, no writes."""
        rows = sweep_sql.select_candidates(
            after, self.now, self.policy, size, lock=False, scope=self.scope
        )
        self._load_owners(rows)
        for row in rows:
            if row.due_now:
                forecast = self._forecast(row)
                self.report.reclaimed[forecast.rule] += 1
                self.report.planned.append(self._planned("reclaim", row, forecast))
        near = self._nearly_due(rows)
        recorded = set(
            ReclaimWarning.objects.filter(term_id__in=[row.term_id for row, _ in near]).values_list(
                "term_id", "rule", "due_at"
            )
        )
        for row, forecast in near:
            if (row.term_id, forecast.rule.value, forecast.due_at) not in recorded:
                self.report.warned += 1
                self.report.planned.append(self._planned("warn", row, forecast))
        return rows

    def _load_owners(self, rows: Sequence[TermRow]) -> None:
        missing = {row.owner_id for row in rows} - self.owners.keys()
        for user in User.objects.filter(pk__in=missing):
            self.owners[user.pk] = user.as_person()

    def _forecast(self, row: TermRow, state: OwnershipState | None = None) -> ReclaimForecast:
        """The engine's forecast for a row, which must agree with the SQL's verdict (due now,
        or due within the warning window); if not, the SQL has drifted from the rules."""
        state = state or row.state(self.owners[row.owner_id])
        forecast = reclaim_forecast(state, self.policy)
        if forecast is None:
            agrees = False
        elif row.due_now:
            agrees = forecast.due_at <= self.now
        else:
            agrees = forecast.warn_at <= self.now < forecast.due_at
        if not agrees:
            raise SweepDisagreement(f"the engine disagrees on term {row.term_id}: {forecast}")
        assert forecast is not None
        return forecast

    def _nearly_due(self, rows: Sequence[TermRow]) -> list[tuple[TermRow, ReclaimForecast]]:
        """The rows due within the warning window but not yet, with the forecast to report."""
        return [(row, self._forecast(row)) for row in rows if not row.due_now]

    def _reclaim_event(self, row: TermRow) -> DomainEvent:
        """The engine's reclaim of a term the UPDATE just ended, judged on the clocks the
        UPDATE returned, under the rule its forecast names (the earliest one due)."""
        state = row.state(self.owners[row.owner_id])
        rule = self._forecast(row, state).rule
        decision = decide(state, Reclaim(rule=rule), self.policy, self.now)
        if isinstance(decision, Rejection):
            raise SweepDisagreement(f"term {row.term_id} was ended but the engine refuses it")
        return decision.events[0]

    def _planned(self, action: str, row: TermRow, forecast: ReclaimForecast) -> PlannedAction:
        return PlannedAction(
            action=action,
            customer_id=row.customer_id,
            customer_name=row.customer_name,
            owner_id=row.owner_id,
            owner_name=self.owners[row.owner_id].name,
            rule=forecast.rule,
            due_at=forecast.due_at,
        )


def _event_row(customer_id: int, event: DomainEvent, recorded_at: datetime) -> dict[str, Any]:
    """The audit row of a reclaim, column for column what `customer_reclaim` writes."""
    assert event.kind is EventKind.RECLAIMED and event.from_owner is not None
    return {
        "customer_id": customer_id,
        "kind": event.kind.value,
        "at": event.at,
        "recorded_at": recorded_at,
        "actor_id": None,
        "from_owner_id": event.from_owner.id,
        "to_owner_id": None,
        "protected_until": event.protected_until,
        "trace": [line.as_json() for line in event.trace],
        "evidence": dict(event.evidence),
    }


def _warning_row(row: TermRow, forecast: ReclaimForecast, now: datetime) -> dict[str, Any]:
    return {
        "customer_id": row.customer_id,
        "term_id": row.term_id,
        "owner_id": row.owner_id,
        "rule": forecast.rule.value,
        "due_at": forecast.due_at,
        "trace": [line.as_json() for line in forecast.trace],
        "created_at": now,
    }
