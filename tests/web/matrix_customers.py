"""Page permission rows of the frame and the customer pages (home, the list's saved views and
bulk actions, the timeline's quick entry); see tests/web/test_permissions.py."""

from typing import Any

from guishu.web.models import SavedView
from tests.web.matrix import NOT_FOUND, OK, TO_LOGIN, Row, everyone, only_alice, to

ACME = {
    "anonymous": TO_LOGIN,
    "alice": OK,
    "bob": NOT_FOUND,
    "dave": NOT_FOUND,
    "carol": OK,
    "wendy": NOT_FOUND,
    "diana": OK,
    "admin": OK,
}

ROWS = [
    Row("home", everyone(OK)),
    Row("home-dates", everyone(OK)),
    Row("home-overdue", everyone(OK)),
    # Saving a view keeps only the person's own filters; deleting someone else's answers 404.
    Row(
        "saved-view-create",
        everyone(to("customer-list")),
        method="post",
        data={"name": "A customers", "params": "level=A"},
    ),
    Row(
        "saved-view-delete",
        subject="alices_view",
        expect=only_alice(to("customer-list")),
        method="post",
    ),
    # Nothing ticked: back to the list (ticked ids outside the viewer's list are dropped the
    # same way; tests/web/test_pages.py covers the confirmation and the results).
    Row("customer-bulk", everyone(to("customer-list")), method="post", data={"action": "release"}),
    # Quick entry on the timeline: an empty form is answered with its errors by whoever may
    # see the customer, and 404 by everyone else, as the page itself.
    Row("customer-activity-log", subject="acme", expect=ACME, method="post"),
    Row("customer-activity-log", subject="pooled", expect=everyone(OK), method="post"),
]


def subjects(cast: Any, wendy: Any) -> dict[str, dict[str, int]]:
    view = SavedView.objects.create(user=cast.alice, name="Mine", params={"level": "A"})
    return {"alices_view": {"view_id": view.pk}}
