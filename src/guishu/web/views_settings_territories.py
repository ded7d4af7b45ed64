"""Territory rules (the API's rules, guishu.api.territories): everyone reads them, in the
order they are tried; admins write any rule, a manager the rules whose people all lie in their
team trees (another manager's rule answers 404 to a change); directors and reps write none."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids
from guishu.domain import Role
from guishu.territories.models import TerritoryRule
from guishu.territories.rules import (
    may_write_rules,
    territory_rule_create,
    territory_rule_delete,
    territory_rule_update,
)
from guishu.territories.selectors import covered_team_ids, rule_editable_by, rules_in_order
from guishu.web.forms_settings import TerritoryRuleForm
from guishu.web.people import signed_in
from guishu.web.views_settings import forbidden, form_page, settings_page

# --- territory rules ------------------------------------------------------------------------


def _rule_choices(user: User) -> tuple[list[User], list[Team]]:
    """The people and teams `user` may name in a rule: admins everyone who may own customers
    and every team; a manager those in their team trees."""
    people = (
        User.objects.filter(role__in=(Role.REP, Role.MANAGER))
        .select_related("team")
        .order_by("username")
    )
    teams = Team.objects.order_by("name")
    manages, covered = managed_user_ids(user), covered_team_ids(user)
    if user.role == Role.ADMIN or manages is None or covered is None:
        return list(people), list(teams)
    return list(people.filter(pk__in=manages)), list(teams.filter(pk__in=covered))


def _all_choices() -> tuple[list[User], list[Team]]:
    people = (
        User.objects.filter(role__in=(Role.REP, Role.MANAGER))
        .select_related("team")
        .order_by("username")
    )
    return list(people), list(Team.objects.order_by("name"))


def editable_rule_ids(user: User, rules: list[TerritoryRule]) -> set[int]:
    """Which of `rules` (people prefetched) `user` may change, the rule of rule_editable_by,
    judged from one read of whom they oversee."""
    if not may_write_rules(user):
        return set()
    if user.role == Role.ADMIN:
        return {rule.pk for rule in rules}
    people, teams = managed_user_ids(user), covered_team_ids(user)
    if people is None or teams is None:
        return {rule.pk for rule in rules}
    return {
        rule.pk
        for rule in rules
        if {p.pk for p in rule.reps.all()} <= people and {t.pk for t in rule.teams.all()} <= teams
    }


@require_safe
def territory_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    rules = list(rules_in_order().order_by("priority", "pk"))
    context = {
        "rules": rules,
        "editable": editable_rule_ids(user, rules),
        "may_write": may_write_rules(user),
    }
    return settings_page(
        request, "guishu/settings/territories.html", "settings-territories", context
    )


def _rule_initial(rule: TerritoryRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "priority": rule.priority,
        "active": rule.active,
        "method": rule.method,
        "regions": rule.regions,
        "countries": rule.countries,
        "industries": rule.industries,
        "kinds": rule.kinds,
        "sources": rule.sources,
        "levels": rule.levels,
        "reps": [str(person.pk) for person in rule.reps.all()],
        "teams": [str(team.pk) for team in rule.teams.all()],
    }


def _say_errors(form: Any, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@require_http_methods(["GET", "POST"])
def territory_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not may_write_rules(user):
        return forbidden(request, _("Only administrators and managers write territory rules."))
    people, teams = _rule_choices(user)
    form = TerritoryRuleForm(request.POST or None, people=people, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            rule = territory_rule_create(user=user, data=form.rule_data())
        except (ValidationError, PermissionDenied) as error:
            _say_errors(form, error)
        else:
            messages.success(request, _("Created %(name)s.") % {"name": rule.name})
            return redirect("settings-territories")
    return form_page(
        request,
        "settings-territories",
        form,
        title=_("New territory rule"),
        editable=True,
        back="settings-territories",
    )


@require_http_methods(["GET", "POST"])
def territory_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    """GET: the rule, editable by those who may change it. POST: change it."""
    user = signed_in(request)
    if request.method == "POST" and not may_write_rules(user):
        return forbidden(request, _("Only administrators and managers write territory rules."))
    editable = rule_editable_by(user, rule_id) if may_write_rules(user) else None
    if request.method == "POST" and editable is None:
        raise Http404  # another manager's rule does not exist for this one
    rule = editable or rules_in_order().filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    people, teams = _rule_choices(user) if editable else _all_choices()
    form = TerritoryRuleForm(
        request.POST or None, initial=_rule_initial(rule), people=people, teams=teams
    )
    if request.method == "POST" and form.is_valid():
        try:
            territory_rule_update(user=user, rule_id=rule.pk, changes=form.rule_data())
        except (ValidationError, PermissionDenied) as error:
            _say_errors(form, error)
        except TerritoryRule.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect("settings-territories")
    delete_url = "settings-territory-delete" if editable else ""
    return form_page(
        request,
        "settings-territories",
        form,
        title=rule.name,
        editable=editable is not None,
        back="settings-territories",
        delete_url=delete_url,
        extra={"object_id": rule.pk},
    )


@require_POST
def territory_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    user = signed_in(request)
    if not may_write_rules(user):
        return forbidden(request, _("Only administrators and managers write territory rules."))
    rule = rule_editable_by(user, rule_id)
    if rule is None:
        raise Http404
    try:
        territory_rule_delete(user=user, rule_id=rule.pk)
    except TerritoryRule.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Deleted %(name)s.") % {"name": rule.name})
    return redirect("settings-territories")
