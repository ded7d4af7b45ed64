"""Time accounting: selling vs other uses against the 12% -> 22% benchmark (hand-computed)."""

from datetime import date

from guishu.domain import Policy, render_trace
from guishu.domain.calendar import Holiday
from guishu.domain.time_use import (
    ActivityTime,
    ManualTime,
    Use,
    team_account,
    time_accounts,
    working_days,
)

POLICY = Policy()


def test_working_days_leave_out_weekends_and_holidays():
    # Monday 16 to Sunday 29 November 2026: ten working days.
    assert working_days(date(2026, 11, 16), date(2026, 11, 29), POLICY) == 10
    holiday = Policy(holidays=(Holiday(date(2026, 11, 18), date(2026, 11, 19), "x"),))
    assert working_days(date(2026, 11, 16), date(2026, 11, 29), holiday) == 8


def test_a_week_with_four_hours_of_selling_is_10_percent():
    # One week: 5 days of 8 hours = 2,400 minutes. Selling: 2 visits of 90 + 6 calls of 10
    # = 240 minutes (10%). A service visit of 60; travel 300 and admin 600 entered by hand.
    activities = [ActivityTime(1, "visit", 90)] * 2 + [ActivityTime(1, "call", 10)] * 6
    activities += [ActivityTime(1, "service", 60)]
    manual = [ManualTime(1, Use.TRAVEL, 300), ManualTime(1, Use.ADMIN, 600)]
    account = time_accounts(activities, manual, people=[1], days=5, policy=POLICY)[1]
    assert account.available == 2400
    assert account.minutes[Use.SELLING] == 240 and account.minutes[Use.SERVICE] == 60
    assert account.selling_share == 10.0
    assert account.share(Use.ADMIN) == 25.0
    assert account.unaccounted == 2400 - 1200
    assert render_trace(account.trace) == (
        "selling 10% of 40 working hours: below the typical 12% of field reps"
    )


def test_activities_without_a_duration_count_at_their_typical_duration():
    account = time_accounts(
        [ActivityTime(1, "visit", 0), ActivityTime(1, "call", 0)],
        [],
        people=[1],
        days=1,
        policy=POLICY,
    )[1]
    assert account.minutes[Use.SELLING] == 100 and account.estimated == 2
    assert "2 activities had no duration" in render_trace(account.trace)


def test_the_team_adds_up_its_people_and_is_judged_against_the_benchmark():
    accounts = time_accounts(
        [ActivityTime(1, "visit", 600), ActivityTime(2, "call", 0)],
        [ManualTime(2, Use.INTERNAL, 120), ManualTime(3, Use.ADMIN, 60)],  # 3: not in the team
        people=[1, 2],
        days=5,
        policy=POLICY,
    )
    team = team_account(accounts.values())
    assert team.available == 4800 and team.minutes[Use.SELLING] == 610
    assert team.minutes[Use.INTERNAL] == 120 and team.minutes[Use.ADMIN] == 0
    assert accounts[1].selling_share == 25.0
    assert "at or above the 22% reached once admin work was lifted" in render_trace(
        accounts[1].trace
    )
    assert team.selling_share == 12.7
    assert "above the typical 12%, below the 22%" in render_trace(team.trace)
