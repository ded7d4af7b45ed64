"""What notifications say: English templates with named parameters, put into the reader's
language when they are read or sent, exactly as rule traces are (guishu.web.trace).

Parameters are names and dates only. A notice can reach someone who may not see the
customer in full (the former owner after a transfer, a team's group chat), and names and
owners are all such a person may know of it; contact details are never a parameter.
"""

from collections.abc import Mapping
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from guishu.disputes.models import Collision, Violation
from guishu.domain import TraceLine
from guishu.web.trace import reclaim_rule, translate_trace

PROTECTION_ENDING = N_("{owner}'s protection of {customer} ends on {date}")
RECLAIM_WARNING = N_(
    "{customer} ({owner}) returns to the pool on {date} unless it is worked: {rule}"
)
RECLAIMED = N_("{customer} was reclaimed from {owner} to the pool: {rule}")
CLAIMED = N_("{actor} claimed {customer} from the pool")
CLAIMED_FROM_FORMER = N_("{actor} claimed {customer} from the pool; it was {former}'s before")
ASSIGNED = N_("{actor} assigned {customer} to {owner}")
TRANSFERRED = N_("{actor} handed {customer} over from {from_owner} to {owner}")
TRANSFERRED_BY_OWNER = N_("{from_owner} handed {customer} over to {owner}")
COLLISION = N_("Collision on {customer} ({owner}): {action} by {rep}")
# A violation detected: the offender is warned, their manager asked to review it.
VIOLATION = N_("Possible rule violation by {rep} on {customer}: {violation}")
# The weekly digest of customers overdue for contact, to their owner's manager (discipline).
CADENCE_OVERDUE = N_("{customer} ({owner}) was due for contact on {date}")
# Disputes, one sentence per step (guishu.disputes.models.DisputeLog kinds).
DISPUTE = {
    "opened": N_("{actor} opened a dispute on {customer}: {owner} v {challenger}"),
    "statement": N_("{actor} gave their statement in the dispute on {customer}"),
    "agreed": N_("{owner} and {challenger} agreed on {customer}: {lead} leads it"),
    "decided": N_("{actor} decided the dispute on {customer}: {lead} leads it"),
    "asking": N_("The dispute on {customer} will be settled by asking the customer"),
    "answered": N_("{customer} said they want to deal with {chosen}"),
    "reminder": N_("Your decision on the dispute over {customer} is due on {date}"),
    "escalated": N_("The dispute on {customer} ({owner} v {challenger}) is overdue and escalated"),
    "appealed": N_("{actor} appealed the decision on {customer} to the director"),
    "appeal_decided": N_("{actor} decided the appeal on {customer}: {lead} leads it"),
    "fallback": N_("No deal on {customer} by the date set: it went from {lead} to {to}"),
    "withdrawn": N_("{actor} withdrew the dispute on {customer}"),
}

ACTIONS = dict(Collision.Action.choices)
VIOLATIONS = dict(Violation.Kind.choices)


def render(message: str, params: Mapping[str, str]) -> str:
    """A stored notice in the active language."""
    shown = {name: _shown(name, str(value)) for name, value in params.items()}
    return translate_trace(TraceLine(message, shown))


def _shown(name: str, value: str) -> str:
    if name == "date":
        return _local_date(value)
    if name == "rule":
        return reclaim_rule(value)
    if name == "action" and value in ACTIONS:
        return str(ACTIONS[value])
    if name == "violation" and value in VIOLATIONS:
        return str(VIOLATIONS[value])
    return value


def _local_date(value: str) -> str:
    """An ISO moment as the company's calendar day (settings.TIME_ZONE)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        return moment.date().isoformat()
    return timezone.localtime(moment).date().isoformat()


def digest_title(count: int) -> str:
    return ngettext("Guishu: %(count)d notification", "Guishu: %(count)d notifications", count) % {
        "count": count
    }
