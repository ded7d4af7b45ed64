"""Clocks pausing over holidays: exact in both directions."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from guishu.domain.calendar import Holiday, Pauses, spring_festivals

TZ = "Asia/Shanghai"
CNY_2026 = Holiday(date(2026, 2, 16), date(2026, 2, 22), "Spring Festival 2026")
PAUSES = Pauses.of([CNY_2026], TZ)


def local(*args: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo(TZ))


def test_a_window_spanning_the_festival_is_longer_by_the_festival():
    start = local(2026, 2, 1, 9, 0)
    assert PAUSES.after(start, timedelta(days=30)) == start + timedelta(days=37)


def test_a_window_before_the_festival_is_untouched():
    start = local(2026, 1, 1, 9, 0)
    assert PAUSES.after(start, timedelta(days=15)) == start + timedelta(days=15)


def test_a_clock_started_during_the_festival_starts_after_it():
    start = local(2026, 2, 18, 10, 0)
    assert PAUSES.after(start, timedelta(days=1)) == local(2026, 2, 24, 0, 0)


def test_working_time_excludes_the_festival():
    assert PAUSES.working(local(2026, 2, 10), local(2026, 3, 1)) == timedelta(days=12)


def test_overlapping_holidays_merge():
    pauses = Pauses.of(
        [Holiday(date(2026, 5, 1), date(2026, 5, 3)), Holiday(date(2026, 5, 3), date(2026, 5, 5))],
        TZ,
    )
    assert len(pauses.intervals) == 1 and pauses.paused(
        local(2026, 4, 1), local(2026, 6, 1)
    ) == timedelta(days=5)


def test_the_default_calendar_has_one_festival_a_year():
    festivals = spring_festivals()
    assert [f.first.year for f in festivals] == sorted({f.first.year for f in festivals})
    assert all((f.last - f.first).days == 6 for f in festivals)
    assert date(2026, 2, 17) in {f.first + timedelta(days=1) for f in festivals}  # 春节 2026


moments = st.datetimes(
    min_value=datetime(2025, 10, 1), max_value=datetime(2027, 6, 1), timezones=st.just(UTC)
)
windows = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120))
HOLIDAYS = Pauses.of(
    [*spring_festivals(), Holiday(date(2026, 10, 1), date(2026, 10, 7), "National Day")], TZ
)


@given(moments, windows)
def test_after_adds_exactly_the_working_window(start, window):
    due = HOLIDAYS.after(start, window)
    assert HOLIDAYS.working(start, due) == window
    # ...and not a moment later than needed: just before it, the window had not passed.
    if window > timedelta(0):
        assert HOLIDAYS.working(start, due - timedelta(microseconds=1)) < window


@given(moments, windows)
def test_before_is_the_latest_cut_off(end, window):
    cutoff = HOLIDAYS.before(end, window)
    assert HOLIDAYS.working(cutoff, end) >= window
    assert HOLIDAYS.working(cutoff + timedelta(microseconds=1), end) < window or window == (
        timedelta(0)
    )


@given(moments, windows, moments)
def test_the_sweep_and_the_forecast_agree(worked_at, window, now):
    """Due by `now` (the forecast's view) exactly when worked at or before the cut-off (the
    sweep's view)."""
    assert (HOLIDAYS.after(worked_at, window) <= now) == (worked_at <= HOLIDAYS.before(now, window))
