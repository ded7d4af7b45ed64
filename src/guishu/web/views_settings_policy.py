"""The policy editor and its what-if.

Everyone reads every policy; admins change the company's and any team's, managers their own
teams' (guishu.policies.services.may_edit); managers, directors and admins run the what-if, a
manager only for the teams they may change, and each sees the customers they oversee in its
answer (the API's rules: guishu.api.policies).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids, team_tree_ids
from guishu.domain import Role
from guishu.domain.policy_values import default_values
from guishu.ownership.simulate import Simulation, policy_simulate
from guishu.policies.models import PolicyVersion
from guishu.policies.services import may_edit, policy_errors, policy_version_save
from guishu.policies.store import values_in_force, version_in_force
from guishu.web.charts import chart_spec
from guishu.web.forms_settings_policy import (
    describe,
    label_of,
    normalised,
    parse_moment,
    parse_policy,
    policy_changes,
    policy_sections,
    readable,
    team_values,
)
from guishu.web.people import signed_in
from guishu.web.views_settings import forbidden, sections_for

HISTORY = 30
PREVIEW_CUSTOMERS = 50


# --- the policy editor ----------------------------------------------------------------------


@dataclass
class Scope:
    """The company (team None) or a team, as the scope picker lists it."""

    team: Team | None
    name: str
    depth: int
    editable: bool


def scopes_for(user: User) -> list[Scope]:
    """The company and every team (in tree order), each marked if `user` may change it."""
    teams = list(Team.objects.order_by("name"))
    children: dict[int | None, list[Team]] = {}
    ids = {team.pk for team in teams}
    for team in teams:
        parent = team.parent_id if team.parent_id in ids else None
        children.setdefault(parent, []).append(team)
    scopes = [Scope(None, _("The company"), 0, may_edit(user, None))]
    managed = _managed_team_ids(user)

    def walk(parent: int | None, depth: int) -> None:
        for team in children.get(parent, []):
            editable = user.role == Role.ADMIN or team.pk in managed
            scopes.append(Scope(team, team.name, depth, editable))
            walk(team.pk, depth + 1)

    walk(None, 1)
    return scopes


def _managed_team_ids(user: User) -> set[int]:
    if user.role != Role.MANAGER:
        return set()
    found: set[int] = set()
    for root in Team.objects.filter(manager=user):
        found |= team_tree_ids(root)
    return found


def may_simulate(user: User, team: Team | None) -> bool:
    """The API's rule: managers for the teams they may change, directors and admins any."""
    if user.role in (Role.DIRECTOR, Role.ADMIN):
        return True
    return user.role == Role.MANAGER and may_edit(user, team)


@dataclass
class Difference:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    version: PolicyVersion
    differences: list[Difference] = field(default_factory=list)


def differences(older: Mapping[str, Any], newer: Mapping[str, Any]) -> list[Difference]:
    found = []
    for name in sorted(set(older) | set(newer), key=label_of):
        before, after = older.get(name), newer.get(name)
        if normalised(name, before) != normalised(name, after):
            found.append(Difference(label_of(name), describe(name, before), describe(name, after)))
    return found


def history_of(team: Team | None) -> list[HistoryRow]:
    """The scope's versions, newest first, each with what it changed from the one before
    (a company's first version from the defaults; a team's from no overrides)."""
    rows = list(
        PolicyVersion.objects.filter(team=team)
        .select_related("created_by")
        .order_by("-number")[: HISTORY + 1]
    )
    start: Mapping[str, Any] = default_values() if team is None else {}
    history = []
    for index, version in enumerate(rows[:HISTORY]):
        older = rows[index + 1].values if index + 1 < len(rows) else start
        history.append(HistoryRow(version, differences(older, version.values)))
    return history


def _team_or_none(team_id: int | None) -> Team | None:
    return None if team_id is None else get_object_or_404(Team, pk=team_id)


def _policy_context(
    user: User,
    team: Team | None,
    *,
    posted: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    effective_from: str = "",
    note: str = "",
) -> dict[str, Any]:
    in_force, sources = values_in_force(team_id=team.pk if team else None)
    current = version_in_force(team.pk, timezone.now()) if team else None
    overrides = dict(current.values) if current else {}
    return {
        "team": team,
        "scope_name": team.name if team else _("The company"),
        "scopes": scopes_for(user),
        "editable": may_edit(user, team),
        "simulate": may_simulate(user, team),
        "sections": policy_sections(
            posted or in_force,
            set(overrides),
            errors,
            set(policy_changes(posted, in_force)) if posted else set(),
        ),
        "sources": sources,
        "overrides": overrides,
        "errors": errors or {},
        "general_errors": list((errors or {}).get("values", [])),
        "effective_from": effective_from,
        "note": note,
        "history": history_of(team),
        "now": timezone.now(),
        "settings_sections": sections_for(user),
        "current_section": "settings-policy",
    }


@dataclass
class Draft:
    """What the editor posted: the values to save or simulate, and what is wrong with them."""

    posted: dict[str, Any]
    changed: dict[str, Any]
    values: dict[str, Any]
    errors: dict[str, list[str]]
    # What the what-if layers over the scope's version in force: the changes, and for the
    # overrides a team drops, the values it would inherit again.
    simulated: dict[str, Any] = field(default_factory=dict)


def _draft(request: HttpRequest, team: Team | None) -> Draft:
    posted = parse_policy(request.POST, request.POST.getlist)
    in_force, _sources = values_in_force(team_id=team.pk if team else None)
    changed = policy_changes(posted, in_force)
    errors = readable(policy_errors(changed))
    if team is None:
        return Draft(posted, changed, changed, errors, changed)
    current = version_in_force(team.pk, timezone.now())
    overrides = dict(current.values) if current else {}
    reset = set(request.POST.getlist("reset")) & set(overrides)
    values = team_values(overrides, changed, reset)
    inherited, _sources = values_in_force(team_id=team.parent_id) if reset else ({}, [])
    simulated = {**{name: inherited[name] for name in reset if name in inherited}, **changed}
    return Draft(posted, changed, values, errors, simulated)


@require_http_methods(["GET", "POST"])
def policy_editor(request: HttpRequest, team_id: int | None = None) -> HttpResponse:
    """GET: the policy of the company or a team, editable if the viewer may change it, with
    its history. POST: save the change as a new version."""
    user = signed_in(request)
    team = _team_or_none(team_id)
    if request.method == "GET":
        return render(request, "guishu/settings/policy.html", _policy_context(user, team))
    if not may_edit(user, team):
        return forbidden(request, _("You may not change this policy."))
    draft = _draft(request, team)
    effective_text = request.POST.get("effective_from", "")
    note = request.POST.get("note", "")
    errors = dict(draft.errors)
    moment = parse_moment(effective_text)
    if isinstance(moment, str):
        errors["effective_from"] = [_("Give a date and time.")]
        moment = None
    if not draft.changed and not (team and set(request.POST.getlist("reset"))):
        errors.setdefault("values", []).append(_("Change at least one setting."))
    if not errors:
        try:
            version = policy_version_save(
                user=user, team=team, values=draft.values, effective_from=moment, note=note
            )
        except PermissionDenied:
            return forbidden(request, _("You may not change this policy."))
        except ValidationError as error:
            errors = readable(error.message_dict)
        else:
            messages.success(
                request,
                _("Saved as version %(number)s, in force from %(when)s.")
                % {
                    "number": version.number,
                    "when": _local(version.effective_from),
                },
            )
            if team is None:
                return redirect("settings-policy")
            return redirect("settings-policy-team", team_id=team.pk)
    context = _policy_context(
        user, team, posted=draft.posted, errors=errors, effective_from=effective_text, note=note
    )
    return render(request, "guishu/settings/policy.html", context, status=200)


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- the what-if ----------------------------------------------------------------------------


@dataclass
class GroupRow:
    name: str
    reclaim_added: int
    reclaim_removed: int
    warn_added: int
    warn_removed: int


def _group_rows(simulation: Simulation, key: str, names: Mapping[Any, str]) -> list[GroupRow]:
    rows = [
        GroupRow(
            names.get(group, _("No team")),
            counts["reclaim_added"],
            counts["reclaim_removed"],
            counts["warn_added"],
            counts["warn_removed"],
        )
        for group, counts in simulation.by(key).items()
    ]
    return sorted(rows, key=lambda row: (-(row.reclaim_added + row.warn_added), row.name))


CHART_SERIES = (
    ("reclaim_added", gettext_lazy("reclaimed in addition")),
    ("reclaim_removed", gettext_lazy("no longer reclaimed")),
    ("warn_added", gettext_lazy("warned in addition")),
    ("warn_removed", gettext_lazy("no longer warned")),
)


def preview_context(user: User, team: Team | None, values: dict[str, Any]) -> dict[str, Any]:
    """Runs the what-if and shapes it for the page: totals, by team, by rep, a chart and the
    first customers whose fate changes, only those the viewer oversees."""
    simulation = policy_simulate(values=values, team_id=team.pk if team else None)
    manages = managed_user_ids(user)
    simulation.changes = [
        c for c in simulation.changes if manages is None or c.planned.owner_id in manages
    ]
    owners = User.objects.in_bulk({c.planned.owner_id for c in simulation.changes})
    teams = dict(Team.objects.values_list("pk", "name"))
    by_team = _group_rows(simulation, "team", teams)
    by_rep = _group_rows(simulation, "rep", {pk: u.name for pk, u in owners.items()})
    totals = {name: sum(getattr(row, name) for row in by_team) for name, _label in CHART_SERIES}
    chart = None
    if by_team:
        chart = chart_spec(
            "stacked",
            _("Changes by team"),
            [row.name for row in by_team],
            [(str(label), [getattr(row, name) for row in by_team]) for name, label in CHART_SERIES],
            small=True,
        )
    changes = [
        {
            "change": change,
            "owner": owners.get(change.planned.owner_id),
        }
        for change in simulation.changes[:PREVIEW_CUSTOMERS]
    ]
    return {
        "simulation": simulation,
        "totals": totals,
        "any_change": any(totals.values()),
        "by_team": by_team,
        "by_rep": by_rep,
        "chart": chart,
        "changes": changes,
        "more": max(0, len(simulation.changes) - PREVIEW_CUSTOMERS),
    }


@require_POST
def policy_preview(request: HttpRequest, team_id: int | None = None) -> HttpResponse:
    """The what-if of the change in the editor, before saving: the preview panel for htmx,
    the whole editor (with the panel) without it."""
    user = signed_in(request)
    team = _team_or_none(team_id)
    if not may_simulate(user, team):
        return forbidden(request, _("Managers simulate their own teams' policies."))
    draft = _draft(request, team)
    context: dict[str, Any] = {
        "error_lines": [
            (label_of(name), message)
            for name, problems in draft.errors.items()
            for message in problems
        ]
    }
    if not draft.errors:
        if draft.simulated:
            context.update(preview_context(user, team, draft.simulated))
        else:
            context["nothing"] = True
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "guishu/settings/_preview.html", {"p": context})
    page = _policy_context(
        user,
        team,
        posted=draft.posted,
        errors=draft.errors,
        effective_from=request.POST.get("effective_from", ""),
        note=request.POST.get("note", ""),
    )
    page["preview"] = context
    return render(request, "guishu/settings/policy.html", page)
