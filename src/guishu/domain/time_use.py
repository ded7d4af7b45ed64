"""Where reps' time goes (DOMAIN.md §9): direct selling vs service, admin, travel and internal
meetings, measured against the working time of the period.

Field reps may spend only 12% of their time actually selling; freeing them of admin work
raised it to 22%. Activities with customers count as selling (service and complaint handling
as service), with their logged duration, or a typical duration for their kind when none was
logged; manual entries add travel, admin, internal meetings and anything else. Working time
is `working_hours_per_week` spread over Monday to Friday, holidays left out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from guishu.domain.policy import Policy
from guishu.domain.trace import TraceLine
from guishu.domain.trace import gettext_noop as N_

# The benchmark: selling's share of a field rep's time, typical and once admin work is lifted.
TYPICAL_SELLING_PERCENT = 12
TARGET_SELLING_PERCENT = 22


class Use(StrEnum):
    SELLING = "selling"
    SERVICE = "service"
    ADMIN = "admin"
    TRAVEL = "travel"
    INTERNAL = "internal"
    OTHER = "other"


SERVICE_KINDS = frozenset({"service", "complaint"})
# Minutes an activity of each kind typically takes, used when none was logged.
TYPICAL_MINUTES = {
    "visit": 90,
    "factory_visit": 180,
    "meeting": 60,
    "call": 10,
    "email": 5,
    "chat": 5,
    "catalog_sent": 5,
    "quote": 30,
    "sample": 20,
    "invitation": 10,
    "order_intent": 15,
    "complaint": 30,
    "service": 60,
}


@dataclass(frozen=True)
class ActivityTime:
    person_id: int
    kind: str
    minutes: int  # 0 when not logged


@dataclass(frozen=True)
class ManualTime:
    person_id: int
    use: Use
    minutes: int


@dataclass(frozen=True)
class TimeAccount:
    """One person's (or a team's) time in a period, in minutes by use."""

    minutes: Mapping[Use, int]
    available: int
    estimated: int  # activities without a logged duration, counted at their typical minutes
    trace: tuple[TraceLine, ...] = field(default=())

    @property
    def accounted(self) -> int:
        return sum(self.minutes.values())

    @property
    def unaccounted(self) -> int:
        return max(0, self.available - self.accounted)

    def share(self, use: Use) -> float:
        """The share of working time spent on `use`, in percent."""
        return round(100 * self.minutes.get(use, 0) / self.available, 1) if self.available else 0.0

    @property
    def selling_share(self) -> float:
        return self.share(Use.SELLING)


def working_days(first: date, last: date, policy: Policy) -> int:
    """Monday-to-Friday days from `first` to `last` inclusive, holidays left out."""
    count, current = 0, first
    while current <= last:
        on_holiday = any(h.first <= current <= h.last for h in policy.holidays)
        if current.weekday() < 5 and not on_holiday:
            count += 1
        current += timedelta(days=1)
    return count


def activity_use(kind: str) -> Use:
    return Use.SERVICE if kind in SERVICE_KINDS else Use.SELLING


def time_accounts(
    activities: Iterable[ActivityTime],
    manual: Iterable[ManualTime],
    *,
    people: Iterable[int],
    days: int,
    policy: Policy,
) -> dict[int, TimeAccount]:
    """Each person's account over `days` working days."""
    available = days * policy.working_hours_per_week * 60 // 5
    minutes: dict[int, dict[Use, int]] = {person: dict.fromkeys(Use, 0) for person in people}
    estimated: dict[int, int] = dict.fromkeys(minutes, 0)
    for activity in activities:
        if activity.person_id not in minutes:
            continue
        spent = activity.minutes
        if not spent:
            spent = TYPICAL_MINUTES.get(activity.kind, 10)
            estimated[activity.person_id] += 1
        minutes[activity.person_id][activity_use(activity.kind)] += spent
    for entry in manual:
        if entry.person_id in minutes:
            minutes[entry.person_id][entry.use] += entry.minutes
    return {
        person: _account(uses, available, estimated[person]) for person, uses in minutes.items()
    }


def team_account(accounts: Iterable[TimeAccount]) -> TimeAccount:
    """The sum of several people's accounts (their working time added up too)."""
    total: dict[Use, int] = dict.fromkeys(Use, 0)
    available = estimated = 0
    for account in accounts:
        for use, spent in account.minutes.items():
            total[use] += spent
        available += account.available
        estimated += account.estimated
    return _account(total, available, estimated)


def _account(minutes: Mapping[Use, int], available: int, estimated: int) -> TimeAccount:
    account = TimeAccount(dict(minutes), available, estimated)
    share = account.selling_share
    params = {
        "share": f"{share:g}",
        "hours": f"{available / 60:g}",
        "typical": str(TYPICAL_SELLING_PERCENT),
        "target": str(TARGET_SELLING_PERCENT),
    }
    # Trace templates are filled by str.format ({share}), never by %.
    if share >= TARGET_SELLING_PERCENT:
        message = N_(
            # xgettext:no-python-format
            "selling {share}% of {hours} working hours: at or above the {target}% reached once "
            "admin work was lifted"
        )
    elif share >= TYPICAL_SELLING_PERCENT:
        message = N_(
            # xgettext:no-python-format
            "selling {share}% of {hours} working hours: above the typical {typical}%, below "
            "the {target}% reached once admin work was lifted"
        )
    else:
        message = N_(
            # xgettext:no-python-format
            "selling {share}% of {hours} working hours: below the typical {typical}% of field reps"
        )
    trace = [TraceLine(message, params)]
    if estimated:
        trace.append(
            TraceLine(
                N_("{n} activities had no duration and count at a typical duration for their kind"),
                {"n": str(estimated)},
            )
        )
    return TimeAccount(account.minutes, available, estimated, tuple(trace))
