"""Clocks that pause over holidays (Chinese New Year by default).

A reclaim window counts only working time: a customer followed up on the eve of the Spring
Festival does not lose its owner because the whole country stopped for a week. Holidays are
company-local calendar dates; a pause covers whole days, midnight to midnight, in the policy's
time zone. Both directions are exact, so the set-based sweep (which asks "was the last
follow-up before this cut-off?") and the per-customer forecast (which asks "when is it due?")
always agree.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, order=True)
class Holiday:
    """A named run of company-local dates, first and last day included."""

    first: date
    last: date
    name: str = ""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"holiday {self.name!r} ends before it starts")


# The eve of the lunar new year, by year; the default pause runs from the eve for seven days,
# like the statutory Spring Festival break. (Lunar new year's day is the day after the eve.)
LUNAR_NEW_YEAR_EVE = {
    2024: date(2024, 2, 9),
    2025: date(2025, 1, 28),
    2026: date(2026, 2, 16),
    2027: date(2027, 2, 5),
    2028: date(2028, 1, 25),
    2029: date(2029, 2, 12),
    2030: date(2030, 2, 2),
    2031: date(2031, 1, 22),
    2032: date(2032, 2, 10),
    2033: date(2033, 1, 30),
    2034: date(2034, 2, 18),
    2035: date(2035, 2, 7),
}
SPRING_FESTIVAL_DAYS = 7


def spring_festivals() -> tuple[Holiday, ...]:
    return tuple(
        Holiday(eve, eve + timedelta(days=SPRING_FESTIVAL_DAYS - 1), f"Spring Festival {year}")
        for year, eve in sorted(LUNAR_NEW_YEAR_EVE.items())
    )


def holiday_span(holiday: Holiday, tz: str) -> tuple[datetime, datetime]:
    """A holiday as [start, end) in UTC: comparing UTC datetimes is several times cheaper
    than comparing across zones, and the sweep compares millions of them."""
    zone = ZoneInfo(tz)
    start = datetime.combine(holiday.first, time.min, tzinfo=zone)
    end = datetime.combine(holiday.last + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class Pauses:
    """Holidays as disjoint, sorted [start, end) intervals of absolute time."""

    intervals: tuple[tuple[datetime, datetime], ...] = ()

    @classmethod
    def of(cls, holidays: Iterable[Holiday], tz: str) -> "Pauses":
        spans = sorted(holiday_span(h, tz) for h in holidays)
        merged: list[tuple[datetime, datetime]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return cls(tuple(merged))

    def paused(self, start: datetime, end: datetime) -> timedelta:
        """How much of [start, end) falls in a holiday."""
        total = timedelta(0)
        for pause_start, pause_end in self.intervals:
            overlap = min(end, pause_end) - max(start, pause_start)
            if overlap > timedelta(0):
                total += overlap
        return total

    def working(self, start: datetime, end: datetime) -> timedelta:
        """Time between `start` and `end` that counts: everything but the holidays."""
        if end <= start:
            return timedelta(0)
        return (end - start) - self.paused(start, end)

    def after(self, start: datetime, window: timedelta) -> datetime:
        """The moment `window` of working time has passed since `start`: the clock stops at
        each holiday and runs on after it."""
        at, left = start, window
        for pause_start, pause_end in self.intervals:
            if pause_end <= at:
                continue
            if at + left <= pause_start:
                break
            left -= max(pause_start - at, timedelta(0))
            at = max(at, pause_end)
        return at + left

    def before(self, end: datetime, window: timedelta) -> datetime:
        """The latest moment from which `window` of working time has passed by `end`: a clock
        started at or before it has run out by `end` (the sweep's cut-off)."""
        at, left = end, window
        for pause_start, pause_end in reversed(self.intervals):
            if pause_start >= at:
                continue
            if at - left >= pause_end:
                break
            left -= max(at - pause_end, timedelta(0))
            at = min(at, pause_start)
        return at - left
