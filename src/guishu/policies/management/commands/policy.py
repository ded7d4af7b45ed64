"""`guishu policy show|history|set|simulate`: the ownership policy from the command line.

    guishu policy show [--team East] [--at 2026-12-01T09:00]
    guishu policy history [--team East]
    guishu policy set daily_claim_limit=5 'protection_days={"A":60,"B":30,"C":30}' --by admin
    guishu policy simulate follow_up_reclaim_days=30 [--team East] [--on 2026-12-02]

Values are JSON (a bare word is taken as text). `set` records who changed it (`--by`, a user
allowed to: an admin for the company, a manager for their teams).
"""

import json
from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from guishu.accounts.models import Team, User
from guishu.ownership.simulate import policy_simulate
from guishu.policies.models import PolicyVersion
from guishu.policies.services import policy_errors, policy_version_save
from guishu.policies.store import values_in_force

SWEEP_HOUR = time(2, 0)  # a simulated date is judged as the daily sweep would judge it


class Command(BaseCommand):
    help = "Show, change or simulate the ownership policy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["show", "history", "set", "simulate"])
        parser.add_argument("settings", nargs="*", help="name=value pairs (set, simulate)")
        parser.add_argument("--team", help="a team's name; the company's policy without it")
        parser.add_argument("--at", help="show the policy in force at this date and time")
        parser.add_argument("--on", help="simulate the sweep of this date (02:00 company time)")
        parser.add_argument("--by", help="username of who makes the change (set)")
        parser.add_argument("--note", default="", help="why (set)")

    def handle(self, *args: Any, **options: Any) -> None:
        team = self._team(options["team"])
        action = options["action"]
        if action == "show":
            self._show(team, options["at"])
        elif action == "history":
            self._history(team)
        elif action == "set":
            self._set(team, _pairs(options["settings"]), options["by"], options["note"])
        else:
            self._simulate(team, _pairs(options["settings"]), options["on"])

    def _team(self, name: str | None) -> Team | None:
        if not name:
            return None
        team = Team.objects.filter(name=name).first()
        if team is None:
            raise CommandError(f"no team named {name!r}")
        return team

    def _show(self, team: Team | None, at: str | None) -> None:
        moment = _moment(at) if at else timezone.now()
        values, versions = values_in_force(team_id=team.pk if team else None, at=moment)
        scope = team.name if team else "company"
        self.stdout.write(f"Policy for {scope} in force at {moment:%Y-%m-%d %H:%M %Z}:")
        for name in sorted(values):
            if name != "holidays":
                self.stdout.write(f"  {name} = {json.dumps(values[name], ensure_ascii=False)}")
        self.stdout.write(f"  holidays = {len(values['holidays'])} periods")
        made_of = ", ".join(str(v) for v in versions) or "the defaults"
        self.stdout.write(f"Made of: {made_of}")

    def _history(self, team: Team | None) -> None:
        for version in PolicyVersion.objects.filter(team=team).order_by("-number"):
            self.stdout.write(
                f"v{version.number}  from {version.effective_from:%Y-%m-%d %H:%M}  "
                f"by {version.created_by.name}  {version.note}"
            )
            self.stdout.write(f"    {json.dumps(version.values, ensure_ascii=False)[:300]}")

    def _set(self, team: Team | None, values: dict[str, Any], by: str | None, note: str) -> None:
        user = User.objects.filter(username=by).first() if by else None
        if user is None:
            raise CommandError("name who makes the change with --by USERNAME")
        try:
            version = policy_version_save(user=user, team=team, values=values, note=note)
        except (ValidationError, PermissionDenied) as refused:
            raise CommandError(_explain(refused)) from None
        self.stdout.write(self.style.SUCCESS(f"Saved {version}."))

    def _simulate(self, team: Team | None, values: dict[str, Any], on: str | None) -> None:
        errors = policy_errors(values)
        if errors:
            raise CommandError(json.dumps(errors, ensure_ascii=False))
        at = _sweep_time(on) if on else timezone.now()
        simulation = policy_simulate(values=values, team_id=team.pk if team else None, on=at)
        self.stdout.write(f"As of {simulation.at:%Y-%m-%d %H:%M %Z}, writing nothing:")
        for action in ("reclaim", "warn"):
            self.stdout.write(
                f"  {action}: {simulation.current[action]} now, "
                f"{simulation.candidate[action]} with the candidate"
            )
        names = dict(User.objects.values_list("pk", "username"))
        teams = dict(Team.objects.values_list("pk", "name"))
        for label, key, lookup in (("rep", "rep", names), ("team", "team", teams)):
            for group, counts in sorted(simulation.by(key).items(), key=lambda g: str(g[0])):
                summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                self.stdout.write(f"  {label} {lookup.get(group, '-')}: {summary}")
        for change in simulation.changes:
            planned = change.planned
            self.stdout.write(
                f"    {change.effect:7} {change.action:7} {planned.customer_name} "
                f"({planned.owner_name}, {planned.rule.value}, due {planned.due_at:%Y-%m-%d})"
            )


def _pairs(items: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep:
            raise CommandError(f"expected name=value, got {item!r}")
        try:
            values[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            values[name.strip()] = raw
    return values


def _moment(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"not a date and time: {text!r}")
        moment = datetime.combine(day, time.max)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _sweep_time(text: str) -> datetime:
    day = parse_date(text)
    if day is not None:
        return timezone.make_aware(datetime.combine(day, SWEEP_HOUR))
    return _moment(text)


def _explain(refused: Exception) -> str:
    if isinstance(refused, ValidationError) and hasattr(refused, "error_dict"):
        return json.dumps(refused.message_dict, ensure_ascii=False)
    return str(refused)
