"""Collisions and disputes as sheets, showing what their API lists show and no more.

A collision or dispute on a customer the viewer may not see in full names the customer but
not its id, and a collision's reasons are masked then (`mask_reason`). What a rep typed when
they collided is shown only to them and to those above them, as in the API. Whether the
viewer sees each customer is asked of `customers_visible_to` once for the whole list, in the
list's own query.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.disputes.models import Collision, Dispute
from guishu.exports.common import CHUNK, joined, people_names, yes_no
from guishu.exports.writers import Column, Sheet
from guishu.matching import Reason
from guishu.ownership.matches import mask_reason
from guishu.ownership.selectors import customers_visible_to
from guishu.web.trace import translate_trace


def _seen(viewer: User) -> Exists:
    """Whether the viewer sees a row's customer in full, as a column of the row's query."""
    return Exists(customers_visible_to(viewer).filter(pk=OuterRef("customer_id")))


def _reason(data: Mapping[str, Any]) -> Reason:
    return Reason(
        code=data.get("code", ""),
        message=data.get("message", ""),
        params=dict(data.get("params", {})),
        weight=float(data.get("weight", 0.0)),
    )


def _typed(submitted: Mapping[str, Any]) -> str:
    """What was typed, field by field: "name: Acme; phones: +86 …"."""
    parts = []
    for field, value in submitted.items():
        items = value if isinstance(value, list | tuple) else [value]
        text = ", ".join(str(item) for item in items if item not in (None, "", [], {}))
        if text:
            parts.append(f"{field}: {text}")
    return joined(parts)


def collisions_sheet(viewer: User, collisions: QuerySet[Collision]) -> Sheet:
    """`collisions` must be those the viewer's collision list shows, filtered as it is."""
    columns = [
        Column(_("ID"), 8),
        Column(_("When"), 17),
        Column(_("Attempt"), 14),
        Column(_("Customer"), 28),
        Column(_("Customer ID"), 10),
        Column(_("Attempted by"), 14),
        Column(_("Owner"), 14),
        Column(_("Owner since"), 17),
        Column(_("Reasons"), 48),
        Column(_("Trace"), 48),
        Column(_("What was typed"), 40),
    ]
    manages = managed_user_ids(viewer)

    def typed_by_viewer_side(collision: Collision) -> bool:
        attempted_by = collision.attempted_by_id
        return attempted_by == viewer.pk or manages is None or attempted_by in manages

    def rows() -> Iterator[list[Any]]:
        names = people_names()
        listed = collisions.select_related("customer").annotate(seen=_seen(viewer))
        for collision in listed.iterator(chunk_size=CHUNK):
            seen = collision.seen
            reasons = [_reason(item) for item in collision.reasons]
            if not seen:
                reasons = [mask_reason(reason) for reason in reasons]
            typed = typed_by_viewer_side(collision) and isinstance(collision.submitted, dict)
            yield [
                collision.pk,
                collision.at,
                collision.get_action_display(),
                collision.customer.name,
                collision.customer_id if seen else None,
                names.get(collision.attempted_by_id, ""),
                names.get(collision.owner_id, ""),
                collision.owner_since,
                joined(translate_trace(reason) for reason in reasons),
                joined(translate_trace(line) for line in collision.trace),
                _typed(collision.submitted) if typed else "",
            ]

    return Sheet(name=_("Collisions"), slug="collisions", columns=columns, rows=rows())


def disputes_sheet(viewer: User, disputes: QuerySet[Dispute]) -> Sheet:
    """`disputes` must come from `disputes_visible_to(viewer)`, filtered as the list is."""
    columns = [
        Column(_("ID"), 8),
        Column(_("Opened"), 17),
        Column(_("Customer"), 28),
        Column(_("Customer ID"), 10),
        Column(_("Collision"), 10),
        Column(_("Status"), 12),
        Column(_("Owner"), 14),
        Column(_("Challenger"), 14),
        Column(_("Opened by"), 14),
        Column(_("Reason"), 40),
        Column(_("Decision due"), 17),
        Column(_("Escalated"), 10),
        Column(_("Option"), 16),
        Column(_("Lead"), 14),
        Column(_("Collaborator share (%)"), 12),
        Column(_("No deal by"), 12),
        Column(_("Settlement"), 16),
        Column(_("Settled by"), 14),
        Column(_("Settled"), 17),
        Column(_("Rationale"), 40),
        Column(_("Appeal until"), 17),
        Column(_("Appealed"), 17),
        Column(_("Appeal reason"), 40),
        Column(_("Customer's choice"), 14),
        Column(_("Customer's answer"), 40),
    ]

    def person(user_id: int | None, names: dict[int, str]) -> str:
        return names.get(user_id, "") if user_id else ""

    def rows() -> Iterator[list[Any]]:
        names = people_names()
        listed = disputes.select_related("customer").annotate(seen=_seen(viewer))
        for dispute in listed.iterator(chunk_size=CHUNK):
            yield [
                dispute.pk,
                dispute.opened_at,
                dispute.customer.name,
                dispute.customer_id if dispute.seen else None,
                dispute.collision_id,
                dispute.get_status_display(),
                person(dispute.owner_id, names),
                person(dispute.challenger_id, names),
                person(dispute.opened_by_id, names),
                dispute.reason,
                dispute.decision_due_at,
                yes_no(dispute.escalated_at is not None),
                dispute.get_option_display(),
                person(dispute.lead_id, names),
                dispute.collaborator_share,
                dispute.fallback_on,
                dispute.get_settlement_display(),
                person(dispute.settled_by_id, names),
                dispute.settled_at,
                dispute.rationale,
                dispute.appeal_until,
                dispute.appealed_at,
                dispute.appeal_reason,
                person(dispute.customer_choice_id, names),
                dispute.customer_answer,
            ]

    return Sheet(name=_("Disputes"), slug="disputes", columns=columns, rows=rows())
