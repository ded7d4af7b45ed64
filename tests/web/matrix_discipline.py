"""Page-matrix rows for customer discipline: a customer's classification and its complaints are
its owner's and those over them (404 for anyone else); everyone has their own due contacts,
plan, portfolio and time pages (a manager's show the team)."""

from typing import Any

from guishu.customers.models import Customer
from guishu.discipline.services import complaint_open
from tests.web.matrix import NOT_FOUND, OK, TO_LOGIN, Row, everyone, to

# Alice owns Acme; Carol manages her; Diana directs; Admin administers.
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


def seen_by_acme(expected: Any) -> dict[str, Any]:
    return {person: expected if outcome == OK else outcome for person, outcome in ACME.items()}


def subjects(cast: Any, wendy: Any) -> dict[str, dict[str, Any]]:
    acme = Customer.objects.get(name="Acme Tools")
    complaint = complaint_open(user=cast.alice, customer_id=acme.pk, summary="late delivery")
    return {"alices_complaint": {"complaint_id": complaint.pk}}


ROWS = [
    Row("discipline-cadence", everyone(OK)),
    Row("discipline-portfolio", everyone(OK)),
    Row("discipline-customer", ACME, subject="acme"),
    Row(
        "discipline-customer",
        seen_by_acme(to("discipline-customer")),
        method="post",
        subject="acme",
        data={"potential": "B", "note": "new plant"},
    ),
    Row(
        "discipline-customer",
        {**everyone(NOT_FOUND), "dave": OK, "wendy": OK, "diana": OK, "admin": OK},
        subject="delta",
    ),
    Row("discipline-time", everyone(OK)),
    Row("discipline-time", everyone(OK), method="post", data={"minutes": ""}),
    Row("complaint-list", everyone(OK)),
    Row("complaint-list", everyone(OK), method="post", data={"summary": ""}),
    Row("complaint-detail", ACME, subject="alices_complaint"),
    Row(
        "complaint-detail",
        seen_by_acme(to("complaint-detail")),
        method="post",
        subject="alices_complaint",
        data={"outcome": "replaced the goods", "resolved": "yes"},
    ),
    Row("plan-week", everyone(OK)),
    Row("plan-week", everyone(to("plan-week")), method="post"),
]
