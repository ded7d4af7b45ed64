"""Permission-matrix rows for exports (guishu.api.exports): every signed-in person may
download the lists they see (each holds only what their list shows); one customer's
activities and orders only those who see the customer (Acme: Alice, Carol, Diana, Admin),
everyone else 404, exactly as the API's lists of them. An unknown file type is 404 too,
and anonymous requests are 401 before anything else is looked at.
"""

from collections.abc import Callable
from typing import Any

from tests.api.conftest import World
from tests.api.matrix import ACME_SEERS, Row, expect, seers
from tests.api.matrix_disputes import bobs_dispute


def as_file(suffix: str, subject: str | None = None) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, person: str) -> dict[str, Any]:
        ids = {"customer_id": getattr(world, subject)} if subject else {}
        return {**ids, "file_format": suffix}

    return kwargs


def with_dispute(suffix: str) -> Callable[[World, str], dict[str, Any]]:
    """Bob's dispute on Acme exists, so the disputes export has a row for those who see it."""

    def kwargs(world: World, person: str) -> dict[str, Any]:
        bobs_dispute(world, person)
        return {"file_format": suffix}

    return kwargs


ROWS = [
    *(
        Row("api-export-customers", "get", expect(200), kwargs=as_file(suffix), note=f"({suffix})")
        for suffix in ("csv", "xlsx")
    ),
    Row("api-export-customers", "get", expect(404), kwargs=as_file("pdf"), note="(pdf)"),
    Row(
        "api-export-customers",
        "get",
        expect(400),
        kwargs=as_file("csv"),
        query="scope=everyone",
        note="(bad filter)",
    ),
    *(
        Row(
            route,
            "get",
            seers(200, ACME_SEERS),
            kwargs=as_file(suffix, "acme"),
            note=f"(acme, {suffix})",
        )
        for route in ("api-export-activities", "api-export-orders")
        for suffix in ("csv", "xlsx")
    ),
    *(
        Row(route, "get", expect(200), kwargs=as_file(suffix, "pooled"), note=f"(pooled, {suffix})")
        for route in ("api-export-activities", "api-export-orders")
        for suffix in ("csv",)
    ),
    *(
        Row("api-export-collisions", "get", expect(200), kwargs=as_file(suffix), note=f"({suffix})")
        for suffix in ("csv", "xlsx")
    ),
    *(
        Row(
            "api-export-disputes",
            "get",
            expect(200),
            kwargs=with_dispute(suffix),
            note=f"({suffix})",
        )
        for suffix in ("csv", "xlsx")
    ),
]
