"""The policy form, generated from the policy's setting definitions
(guishu.domain.policy_values): every setting with its kind (per level, number, keyed, by
industry, flag, activity types, holidays), its bounds and the value in force. A setting the
pages do not know yet still gets a field (its JSON), so a new setting is never lost.

Parsing keeps whatever a person typed, so `policy_errors` names each wrong setting; only the
settings the form showed (hidden `shown` inputs) are read back.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from guishu.activities.models import Activity
from guishu.domain import Level
from guishu.domain import policy_values as definitions
from guishu.domain.policy_values import Bounds
from guishu.web.forms_settings_words import LABELS, SECTIONS, key_labels


def _by_industry() -> Mapping[str, Bounds]:
    return getattr(definitions, "BY_INDUSTRY", {})


def kind_of(name: str) -> str:
    if name in definitions.PER_LEVEL:
        return "per_level"
    if name in definitions.NUMBERS:
        return "number"
    if name in definitions.KEYED:
        return "keyed"
    if name in _by_industry():
        return "by_industry"
    if name in definitions.FLAGS:
        return "flag"
    if name in ("valid_follow_up_kinds", "holidays"):
        return name
    return "json"


def is_keyed(name: str) -> bool:
    """Keyed and by-industry values merge key by key (a team overrides some keys)."""
    return kind_of(name) in ("keyed", "by_industry")


def sections() -> list[tuple[str, list[str]]]:
    """The form's sections with the settings that exist; those no section names go last."""
    names = set(definitions.NAMES)
    found = [(str(title), [n for n in group if n in names]) for title, group in SECTIONS]
    placed = {name for _title, group in found for name in group}
    rest = sorted(names - placed)
    if rest:
        found.append((gettext_now("Other settings"), rest))
    return [(title, group) for title, group in found if group]


@dataclass
class Input:
    """One input box of a setting: its form name, label and the value shown."""

    name: str
    label: str
    value: Any
    bounds: Bounds | None = None


@dataclass
class SettingField:
    """A setting as the form shows it."""

    name: str
    kind: str
    label: str
    help: str
    value: Any
    overridden: bool = False
    errors: list[str] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)
    choices: list[tuple[str, str, bool]] = field(default_factory=list)
    text: str = ""


def label_of(name: str) -> str:
    return str(LABELS[name][0]) if name in LABELS else name.replace("_", " ").capitalize()


def normalised(name: str, value: Any) -> Any:
    """A value in the one form the form compares: per-level values as a dict per level."""
    if name in definitions.PER_LEVEL and isinstance(value, int) and not isinstance(value, bool):
        return {level.value: value for level in Level}
    if name == "valid_follow_up_kinds" and isinstance(value, list):
        return sorted(value)
    if name == "holidays" and isinstance(value, list):
        return [
            {"first": h.get("first"), "last": h.get("last"), "name": h.get("name", "")}
            if isinstance(h, Mapping)
            else h
            for h in value
        ]
    return value


def holidays_text(value: Any) -> str:
    return "\n".join(
        f"{h['first']} {h['last']} {h.get('name', '')}".strip()
        for h in value or []
        if isinstance(h, Mapping)
    )


def industries_text(value: Any) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    return "\n".join(f"{key} = {number}" for key, number in value.items())


def _number(text: Any) -> Any:
    """A whole number, or what was typed (policy_errors then says what is expected)."""
    text = str(text).strip().replace(",", "").replace("_", "")
    try:
        return int(text)
    except ValueError:
        return text


def _holidays(text: str) -> Any:
    items: list[Any] = []
    for line in text.splitlines():
        parts = line.split(None, 2)
        if not parts:
            continue
        if len(parts) < 2:
            return [line]  # not a holiday: refused with the holidays message
        for part in parts[:2]:
            try:
                date.fromisoformat(part)
            except ValueError:
                return [line]
        items.append(
            {"first": parts[0], "last": parts[1], "name": parts[2] if len(parts) > 2 else ""}
        )
    return items


def _industries(text: str) -> Any:
    """ "industry = number" per line ("*": every industry not named)."""
    values: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, number = line.rpartition("=")
        if not sep or not key.strip():
            return line  # not a mapping: refused with the by-industry message
        values[key.strip()] = _number(number)
    return values


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_policy(data: Mapping[str, Any], getlist: Callable[[str], list[str]]) -> dict[str, Any]:
    """The settings the form showed, as it posted them."""
    values: dict[str, Any] = {}
    for name in getlist("shown"):
        kind = kind_of(name)
        if name not in definitions.NAMES:
            continue
        if kind == "per_level":
            values[name] = {
                level.value: _number(data.get(f"{name}.{level.value}", "")) for level in Level
            }
        elif kind == "number":
            values[name] = _number(data.get(name, ""))
        elif kind == "keyed":
            keys, _bounds = definitions.KEYED[name]
            values[name] = {
                key: _number(data.get(f"{name}.{key}", ""))
                for key in keys
                if f"{name}.{key}" in data
            }
        elif kind == "by_industry":
            values[name] = _industries(str(data.get(name, "")))
        elif kind == "flag":
            values[name] = data.get(name) in ("on", "true", "1")
        elif kind == "valid_follow_up_kinds":
            values[name] = sorted(getlist(name))
        elif kind == "holidays":
            values[name] = _holidays(str(data.get(name, "")))
        else:
            values[name] = _json(str(data.get(name, "")))
    return values


def policy_changes(posted: Mapping[str, Any], in_force: Mapping[str, Any]) -> dict[str, Any]:
    """The settings whose posted value differs from the value in force; of a keyed value,
    the keys that differ."""
    changed: dict[str, Any] = {}
    for name, value in posted.items():
        current = in_force.get(name)
        if normalised(name, value) == normalised(name, current):
            continue
        if is_keyed(name) and isinstance(value, Mapping) and isinstance(current, Mapping):
            value = {k: v for k, v in value.items() if current.get(k) != v}
            if not value:
                continue
        changed[name] = value
    return changed


def team_values(
    overrides: Mapping[str, Any], changed: Mapping[str, Any], reset: set[str]
) -> dict[str, Any]:
    """A team's next version: a team's version holds all of its overrides, so it is the
    current overrides (less those reset to the inherited value) with the changes on top."""
    values = {name: value for name, value in overrides.items() if name not in reset}
    for name, value in changed.items():
        if is_keyed(name) and isinstance(value, Mapping):
            values[name] = {**dict(values.get(name) or {}), **value}
        else:
            values[name] = value
    return values


MESSAGES = {
    "by_industry": _("One line per industry: name = number; * for every industry not named."),
}


def readable(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The service's messages, with the codes it has no words for yet put in words."""
    return {
        name: [str(MESSAGES[m]) if m in MESSAGES else m for m in messages]
        for name, messages in errors.items()
    }


@dataclass
class Section:
    """A group of settings; shown folded unless it is a main one or holds what matters now."""

    title: str
    settings: list[SettingField]
    open: bool


OPEN_SECTIONS = 2  # the ownership rules themselves: protection, reclaim, holding, claiming


def policy_sections(
    values: Mapping[str, Any],
    overridden: set[str],
    errors: Mapping[str, list[str]] | None = None,
    changed: set[str] | None = None,
) -> list[Section]:
    """The form's sections: open are the main ones and those with a change, an error or a
    team's own value."""
    marked = set(errors or {}) | (changed or set()) | overridden
    return [
        Section(title, rows, index < OPEN_SECTIONS or any(r.name in marked for r in rows))
        for index, (title, rows) in enumerate(policy_fields(values, overridden, errors))
    ]


def policy_fields(
    values: Mapping[str, Any],
    overridden: set[str],
    errors: Mapping[str, list[str]] | None = None,
) -> list[tuple[str, list[SettingField]]]:
    """The form's sections, each with its settings showing `values`."""
    errors = errors or {}
    keys = key_labels()
    kind_labels = dict(Activity.Kind.choices)
    shaped: list[tuple[str, list[SettingField]]] = []
    for title, names in sections():
        rows = []
        for name in names:
            value = values.get(name)
            kind = kind_of(name)
            setting = SettingField(
                name=name,
                kind=kind,
                label=label_of(name),
                help=str(LABELS[name][1]) if name in LABELS else "",
                value=value,
                overridden=name in overridden,
                errors=list(errors.get(name, [])),
            )
            if kind == "per_level":
                per_level = normalised(name, value) or {}
                bounds = definitions.PER_LEVEL[name]
                setting.inputs = [
                    Input(f"{name}.{lv.value}", lv.value, per_level.get(lv.value, ""), bounds)
                    for lv in Level
                ]
            elif kind == "number":
                setting.inputs = [Input(name, label_of(name), value, definitions.NUMBERS[name])]
            elif kind == "keyed":
                names_of, bounds = definitions.KEYED[name]
                keyed = value if isinstance(value, Mapping) else {}
                setting.inputs = [
                    Input(f"{name}.{key}", keys.get(key, key), keyed.get(key, ""), bounds)
                    for key in names_of
                ]
            elif kind == "valid_follow_up_kinds":
                chosen = set(value or [])
                setting.choices = [(k, str(text), k in chosen) for k, text in kind_labels.items()]
            elif kind == "holidays":
                setting.text = holidays_text(value) if isinstance(value, list) else str(value)
            elif kind == "by_industry":
                setting.text = industries_text(value)
                bounds = _by_industry()[name]
                setting.inputs = [Input(name, "", "", bounds)]
            elif kind == "json":
                setting.text = (
                    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                )
            rows.append(setting)
        shaped.append((title, rows))
    return shaped


def parse_moment(text: str) -> datetime | str | None:
    """A datetime-local value in the company's time zone; None when empty; the text itself
    when it is not a date and time."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def describe(name: str, value: Any) -> str:
    """A setting's value in a line, for the history's differences."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext_now("yes") if value else gettext_now("no")
    if name == "holidays" and isinstance(value, list):
        return "; ".join(
            f"{h.get('name', '')} {h.get('first')}–{h.get('last')}".strip()
            for h in value
            if isinstance(h, Mapping)
        )
    if name == "valid_follow_up_kinds" and isinstance(value, list):
        labels = dict(Activity.Kind.choices)
        return ", ".join(str(labels.get(k, k)) for k in sorted(value))
    if isinstance(value, Mapping):
        keys = key_labels()
        return ", ".join(f"{keys.get(k, k)} {v}" for k, v in value.items())
    return str(value)
