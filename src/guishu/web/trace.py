"""Rule traces and evidence in the reader's language.

The engine writes trace lines as English templates with named parameters and never
translates; here the template is looked up in the catalogue and filled in, so the same stored
trace reads in Chinese or English.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guishu.activities.models import Activity
from guishu.domain import ReclaimRule, TraceLine
from guishu.matching import Reason

RECLAIM_RULES: Mapping[str, Promise] = {
    ReclaimRule.NO_FOLLOW_UP: _("no valid follow-up"),
    ReclaimRule.NO_DEAL: _("no deal"),
}

# What a decision rested on, in the order a reader wants it.
EVIDENCE_LABELS: Mapping[str, Promise] = {
    "first_contact_at": _("First contact"),
    "details_found_at": _("Contact details found"),
    "registered_at": _("Registered at"),
    "reason": _("Reason"),
    "rule": _("Reclaim rule"),
    "due_at": _("Reclaim due"),
}
MOMENTS = frozenset({"first_contact_at", "details_found_at", "registered_at", "due_at"})


def _param(name: str, value: Any) -> str:
    """A parameter as the reader should see it: codes (activity types) become words."""
    text = str(value)
    if name == "kind" and text in Activity.Kind.values:
        return str(Activity.Kind(text).label)
    return text


def translate_trace(line: TraceLine | Reason | Mapping[str, Any]) -> str:
    """One trace line (from the engine, as stored on an event, or a matching reason) in the
    active language: `gettext(message).format(**params)`.

    A translation that lost a placeholder must not hide the explanation, so it falls back to
    the English template.
    """
    if isinstance(line, Reason):
        line = TraceLine(line.message, line.params)
    elif not isinstance(line, TraceLine):
        line = TraceLine.from_json(line)
    if not line.message:  # gettext("") would answer with the catalogue's header
        return ""
    params = {name: _param(name, value) for name, value in line.params.items()}
    for template in (gettext(line.message), line.message):
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            continue
    return line.message


def moment(value: str) -> str:
    """An ISO timestamp from the evidence, as a local date and time; anything else unchanged."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(parsed):
        return date_format(parsed, "Y-m-d H:i")
    return date_format(timezone.localtime(parsed), "Y-m-d H:i")


def evidence_rows(evidence: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs: first contact and details found always (empty when not
    recorded), then whatever else the decision rested on."""
    rows: list[tuple[str, str]] = []
    for key in ("first_contact_at", "details_found_at"):
        rows.append((str(EVIDENCE_LABELS[key]), moment(evidence[key]) if key in evidence else ""))
    for key, value in evidence.items():
        if key in ("first_contact_at", "details_found_at"):
            continue
        label = str(EVIDENCE_LABELS.get(key, key))
        if key in MOMENTS:
            value = moment(value)
        elif key == "rule" and value in RECLAIM_RULES:
            value = str(RECLAIM_RULES[value])
        rows.append((label, value))
    return rows


def reclaim_rule(rule: str) -> str:
    return str(RECLAIM_RULES.get(rule, rule))
