"""Page-matrix rows for the opportunity pages (guishu.web.views_pipeline).

Subjects: Alice's opportunity "Pumps 2027" with her customer "Alpha Pumpen". An opportunity is
seen by its owner and those over them (Carol, Diana, the admin) and answers 404 to everyone
else; empty forms are answered with their errors (400) by those who see it.
"""

from decimal import Decimal
from typing import Any

from guishu.pipeline.services import opportunity_open
from tests.factories import register
from tests.web.matrix import NOT_FOUND, OK, TO_LOGIN, Row, everyone


def alices(expected: Any) -> dict[str, Any]:
    """`expected` for Alice and those over her; 404 for Bob, Dave and Wendy."""
    return everyone(expected) | {"bob": NOT_FOUND, "dave": NOT_FOUND, "wendy": NOT_FOUND}


def subjects(cast: Any, wendy: Any) -> dict[str, dict[str, int]]:
    alpha = register(cast.alice, "Alpha Pumpen GmbH")
    opportunity = opportunity_open(
        user=cast.alice, customer=alpha, title="Pumps 2027", amount=Decimal("50000")
    )
    return {
        "alices_opportunity": {"opportunity_id": opportunity.pk},
        "alpha": {"customer_id": alpha.pk},
    }


ROWS = [
    Row("opportunity-list", everyone(OK)),
    Row("opportunity-detail", alices(OK), subject="alices_opportunity"),
    Row("opportunity-advance", alices(400), method="post", subject="alices_opportunity"),
    Row("opportunity-close", alices(400), method="post", subject="alices_opportunity"),
    # Opening: those who see the customer in full get the form (an empty one answers 400);
    # on a pooled customer the page says to claim it first and a post is refused (403).
    Row("opportunity-new", alices(OK), subject="alpha"),
    Row("opportunity-new", alices(400), method="post", subject="alpha"),
    Row("opportunity-new", everyone(OK), subject="pooled"),
    Row("opportunity-new", everyone(403), method="post", subject="pooled"),
]
assert all(row.expect["anonymous"] == TO_LOGIN for row in ROWS)
