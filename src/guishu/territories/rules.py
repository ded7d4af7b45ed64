"""Writing territory rules: create, change, delete, each one durable transaction.

Administrators write any rule. A manager writes only rules whose eligible people all lie in
their own team trees, so no manager can route customers to another manager's reps or take
over another manager's rule. Directors and reps read rules and write none.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guishu.accounts.models import Team, User
from guishu.customers.models import Customer
from guishu.domain import Role
from guishu.territories.criteria import FIELDS, canonical_list
from guishu.territories.models import Method, RuleCursor, TerritoryRule
from guishu.territories.selectors import covers, rule_editable_by, rules_in_order

SCALARS = ("name", "priority", "active", "method")
CHOICES = {"kinds": set(Customer.Kind.values), "levels": set(Customer.LevelChoice.values)}
DEFAULTS: dict[str, Any] = {
    "priority": 100,
    "active": True,
    "method": Method.ROUND_ROBIN,
    **dict.fromkeys(FIELDS, ()),
    "reps": (),
    "teams": (),
}


def may_write_rules(user: User) -> bool:
    return user.is_active and user.role in (Role.ADMIN, Role.MANAGER)


@transaction.atomic(durable=True)
def territory_rule_create(*, user: User, data: Mapping[str, Any]) -> TerritoryRule:
    """A new rule from `data` (name, priority, active, method, the criteria lists, `reps` and
    `teams` as ids); missing keys take their defaults."""
    if not may_write_rules(user):
        raise PermissionDenied(_("Only administrators and managers write territory rules."))
    values = _validated(user, {**DEFAULTS, **data}, rule=None)
    rule = TerritoryRule(created_by=user)
    _save(rule, values)
    RuleCursor.objects.create(rule=rule)
    return rules_in_order().get(pk=rule.pk)


@transaction.atomic(durable=True)
def territory_rule_update(*, user: User, rule_id: int, changes: Mapping[str, Any]) -> TerritoryRule:
    """Changes some of a rule's values; the rest stay. Its round-robin turn is kept."""
    rule = _editable(user, rule_id)
    current = {name: getattr(rule, name) for name in (*SCALARS, *FIELDS)}
    current["reps"] = [person.pk for person in rule.reps.all()]
    current["teams"] = [team.pk for team in rule.teams.all()]
    values = _validated(user, {**current, **changes}, rule=rule)
    _save(rule, values)
    return rules_in_order().get(pk=rule.pk)  # afresh: the prefetched people changed


@transaction.atomic(durable=True)
def territory_rule_delete(*, user: User, rule_id: int) -> None:
    """Deletes a rule. Assignments made under it keep its name and the reasons they gave."""
    _editable(user, rule_id).delete()


def _editable(user: User, rule_id: int) -> TerritoryRule:
    if not may_write_rules(user):
        raise PermissionDenied(_("Only administrators and managers write territory rules."))
    # Locked, so two edits of one rule apply one after the other.
    TerritoryRule.objects.select_for_update().filter(pk=rule_id).first()
    rule = rule_editable_by(user, rule_id)
    if rule is None:
        raise TerritoryRule.DoesNotExist(rule_id)
    return rule


def _validated(user: User, values: dict[str, Any], rule: TerritoryRule | None) -> dict[str, Any]:
    """The values in canonical form, or a ValidationError naming each wrong field."""
    errors: dict[str, list[str]] = {}
    name = " ".join(str(values["name"]).split())
    others = TerritoryRule.objects.filter(name=name)
    if rule is not None:
        others = others.exclude(pk=rule.pk)
    if not name:
        errors["name"] = [_("Give the rule a name.")]
    elif others.exists():
        errors["name"] = [_("Another rule already has this name.")]
    if values["method"] not in Method.values:
        errors["method"] = [_("Choose round-robin or load-balanced.")]
    criteria = {field: canonical_list(field, values[field]) for field in FIELDS}
    for field, allowed in CHOICES.items():
        if unknown := [value for value in criteria[field] if value not in allowed]:
            errors[field] = [_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}]
    if not all(
        len(code) == 2 and code.isascii() and code.isalpha() for code in criteria["countries"]
    ):
        errors["countries"] = [_("Give two-letter ISO country codes, e.g. CN, DE, US.")]
    rep_ids = list(dict.fromkeys(int(pk) for pk in values["reps"]))
    team_ids = list(dict.fromkeys(int(pk) for pk in values["teams"]))
    errors |= _people_errors(rep_ids, team_ids)
    if not rep_ids and not team_ids:
        errors.setdefault("reps", []).append(_("Name at least one rep or team."))
    if errors:
        raise ValidationError(errors)
    if not covers(user, rep_ids=rep_ids, team_ids=team_ids):
        raise PermissionDenied(_("You may name only people and teams in your own team trees."))
    return {
        **{key: values[key] for key in SCALARS},
        "name": name,
        **criteria,
        "reps": rep_ids,
        "teams": team_ids,
    }


def _people_errors(rep_ids: list[int], team_ids: list[int]) -> dict[str, list[str]]:
    """Named people must exist and carry customers (reps, managers); an inactive one may stay
    named and is skipped while inactive. Named teams must exist."""
    errors: dict[str, list[str]] = {}
    people = User.objects.in_bulk(rep_ids)
    if missing := [pk for pk in rep_ids if pk not in people]:
        errors["reps"] = [_("No such user: %(ids)s.") % {"ids": ", ".join(map(str, missing))}]
    elif cannot := [
        people[pk].name for pk in rep_ids if people[pk].role not in (Role.REP, Role.MANAGER)
    ]:
        errors["reps"] = [
            _("These people cannot own customers: %(names)s.") % {"names": ", ".join(cannot)}
        ]
    found = set(Team.objects.filter(pk__in=team_ids).values_list("pk", flat=True))
    if missing_teams := [pk for pk in team_ids if pk not in found]:
        errors["teams"] = [
            _("No such team: %(ids)s.") % {"ids": ", ".join(map(str, missing_teams))}
        ]
    return errors


def _save(rule: TerritoryRule, values: dict[str, Any]) -> None:
    for key in (*SCALARS, *FIELDS):
        setattr(rule, key, values[key])
    rule.full_clean(exclude=["created_by"])
    rule.save()
    rule.reps.set(values["reps"])
    rule.teams.set(values["teams"])
