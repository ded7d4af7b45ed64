"""Page-matrix rows for the operations pages: administrators only; anyone else signed in gets
404, as if the pages did not exist."""

from typing import Any

from guishu.customers.contacts import contact_add
from guishu.customers.inputs import ContactInput
from guishu.privacy.services import privacy_request_open
from tests.factories import register
from tests.web.matrix import NOT_FOUND, OK, Row, everyone, to


def only_admin(expected: Any) -> dict[str, Any]:
    return {**everyone(NOT_FOUND), "admin": expected}


def subjects(cast: Any, wendy: Any) -> dict[str, dict[str, Any]]:
    customer = register(cast.alice, "Privacy Matrix Ltd")
    contact = contact_add(
        user=cast.alice,
        customer_id=customer.pk,
        data=ContactInput(name="Wang Fang", phone="+86 137 1111 2222"),
    ).contact
    assert contact is not None
    request = privacy_request_open(user=cast.admin, contact_id=contact.pk, kind="erase")
    return {"privacy_request": {"request_id": request.pk}}


ROWS = [
    Row("ops-index", only_admin(OK)),
    Row("ops-privacy", only_admin(OK)),
    Row("ops-privacy", only_admin(OK), method="post", data={"contact": "", "kind": "export"}),
    Row("ops-privacy-detail", only_admin(OK), subject="privacy_request"),
    Row(
        "ops-privacy-export",
        only_admin(OK),
        method="post",
        subject="privacy_request",
        data={"format": "csv"},
    ),
    Row(
        "ops-privacy-erase",
        only_admin(to("ops-privacy-detail")),
        method="post",
        subject="privacy_request",
    ),
]
