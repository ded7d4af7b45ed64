"""Permission-matrix rows for reports (guishu.api.reports): every signed-in person gets every
report, holding only their own figures (a rep), their team trees' (a manager) or everyone's
(directors, admins) — what each one holds is tested in tests/reports/. An unknown report or
file type is 404; anonymous requests are 401."""

from collections.abc import Callable
from typing import Any

from guishu.reports.registry import REPORTS
from tests.api.conftest import World
from tests.api.matrix import ACME_SEERS, Row, expect, fixed, on, seers


def named(name: str, suffix: str | None = None) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, person: str) -> dict[str, Any]:
        return {"name": name, **({"file_format": suffix} if suffix else {})}

    return kwargs


ROWS = [
    Row("api-reports", "get", expect(200)),
    *(Row("api-report", "get", expect(200), kwargs=named(n), note=f"({n})") for n in REPORTS),
    Row("api-report", "get", expect(404), kwargs=named("nonsense"), note="(unknown)"),
    Row(
        "api-report",
        "get",
        expect(400),
        kwargs=named("sales"),
        query="from=2026-13-01",
        note="(bad day)",
    ),
    *(
        Row(
            "api-report-export",
            "get",
            expect(200),
            kwargs=named(n, "xlsx"),
            note=f"({n}.xlsx)",
        )
        for n in REPORTS
    ),
    Row("api-report-export", "get", expect(200), kwargs=named("sales", "csv"), note="(sales.csv)"),
    Row("api-report-export", "get", expect(404), kwargs=named("sales", "pdf"), note="(pdf)"),
]


# --- the sales pipeline -----------------------------------------------------------------------


def alices_opportunity(world: World, person: str) -> dict[str, Any]:
    """Alice's opportunity on Acme (one per world), whoever asks."""
    from decimal import Decimal

    from guishu.customers.models import Customer
    from guishu.pipeline.models import Opportunity
    from guishu.pipeline.services import opportunity_open

    opportunity = Opportunity.objects.filter(customer_id=world.acme, title="Matrix").first()
    if opportunity is None:
        alice = world.people["alice"]
        assert alice is not None
        opportunity = opportunity_open(
            user=alice,
            customer=Customer.objects.get(pk=world.acme),
            title="Matrix",
            amount=Decimal("1000"),
        )
    return {"opportunity_id": opportunity.pk}


def last_stage(world: World, person: str) -> dict[str, Any]:
    from guishu.pipeline.services import stages_ensure_default

    return {"stage": stages_ensure_default()[-1].pk}  # no required actions


ROWS += [
    Row("api-pipeline-stages", "get", expect(200)),
    Row("api-customer-opportunities", "get", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-customer-opportunities",
        "post",
        seers(201, ACME_SEERS),
        kwargs=on("acme"),
        data=fixed(title="Valves", amount="2000.00"),
    ),
    Row(
        "api-opportunity-advance",
        "post",
        seers(200, ACME_SEERS),
        kwargs=alices_opportunity,
        data=last_stage,
    ),
    Row(
        "api-opportunity-close",
        "post",
        seers(200, ACME_SEERS),
        kwargs=alices_opportunity,
        data=fixed(won=True),
    ),
]
