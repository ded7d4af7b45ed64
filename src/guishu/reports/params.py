"""A report's filters read from a query string, shared by the pages and the API:
`from` and `to` (company-local days, both included; the last 90 days by default), `team` (a
team id), `currency` (three letters, CNY by default) and, for rotation impact, `window`
(days before and after a handover, 180 by default)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.reports.rotation import DEFAULT_WINDOW_DAYS
from guishu.reports.scope import MAX_DAYS, Period, default_days, period_of

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CURRENCY = re.compile(r"[A-Z]{3}")
EARLIEST, LATEST = date(1970, 1, 1), date(2100, 1, 1)
MAX_WINDOW_DAYS = 730


@dataclass(frozen=True)
class ReportParams:
    first: date
    last: date
    team_id: int | None = None
    currency: str = "CNY"
    window_days: int = DEFAULT_WINDOW_DAYS

    @property
    def period(self) -> Period:
        return period_of(self.first, self.last)

    def selector_kwargs(self, *, money: bool, rotation: bool) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"period": self.period, "team_id": self.team_id}
        if money:
            kwargs["currency"] = self.currency
        if rotation:
            kwargs["window_days"] = self.window_days
        return kwargs

    def query(self) -> dict[str, str]:
        """The filters as a query string's values (for links: the download, the pages)."""
        found = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        if self.team_id is not None:
            found["team"] = str(self.team_id)
        if self.currency != "CNY":
            found["currency"] = self.currency
        if self.window_days != DEFAULT_WINDOW_DAYS:
            found["window"] = str(self.window_days)
        return found


def _day(text: str, name: str) -> date:
    try:
        day = date.fromisoformat(text) if DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day < LATEST:
        raise ValidationError({name: _("Give a date (YYYY-MM-DD) between 1970 and 2100.")})
    return day


def _number(text: str, name: str, low: int, high: int) -> int:
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ValidationError(
            {name: _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}}
        )
    return int(text)


def report_params(query: Mapping[str, str]) -> ReportParams:
    """The filters of a request, checked; empty values take the defaults."""
    first, last = default_days(timezone.localdate())
    if query.get("from"):
        first = _day(query["from"], "from")
    if query.get("to"):
        last = _day(query["to"], "to")
    if last < first or (last - first).days >= MAX_DAYS:
        raise ValidationError({"to": _("Give an end on or after the start, within ten years.")})
    team = query.get("team") or None
    team_id = _number(team, "team", 1, 2**31 - 1) if team is not None else None
    currency = (query.get("currency") or "CNY").upper()
    if not CURRENCY.fullmatch(currency):
        raise ValidationError({"currency": _("Give a three-letter currency code, e.g. CNY.")})
    window = query.get("window") or None
    window_days = (
        _number(window, "window", 1, MAX_WINDOW_DAYS) if window is not None else DEFAULT_WINDOW_DAYS
    )
    return ReportParams(first, last, team_id, currency, window_days)
