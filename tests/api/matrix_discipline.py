"""Permission-matrix rows for customer discipline: a customer's classification and complaints
are its owner's and those over them (404 for anyone else); plans are the rep's and their
managers'; everyone has their own overdue list, portfolio, time entries and accounting."""

from typing import Any

from django.utils import timezone

from guishu.discipline.models import Complaint
from guishu.discipline.services import complaint_open, plan_generate
from tests.api.conftest import World
from tests.api.matrix import ACME_SEERS, Row, expect, fixed, on, seers


def alices_complaint(world: World, person: str) -> dict[str, Any]:
    """A complaint on Acme, handled by Alice (one per world), whoever asks."""
    alice = world.people["alice"]
    complaint = Complaint.objects.filter(customer_id=world.acme).first()
    if complaint is None:
        complaint = complaint_open(user=alice, customer_id=world.acme, summary="late delivery")  # type: ignore[arg-type]
    return {"complaint_id": complaint.pk}


def alices_plan(world: World, person: str) -> dict[str, Any]:
    """Alice's plan for this week exists; ask for it by her id."""
    alice = world.people["alice"]
    assert alice is not None
    if not alice.weekly_plans.exists():
        plan_generate(user=alice)
    return {"rep_id": alice.pk}


def for_alice(world: World, person: str) -> dict[str, Any]:
    alice = world.people["alice"]
    assert alice is not None
    return {"rep_id": alice.pk}


def for_oneself(world: World, person: str) -> dict[str, Any]:
    user = world.people[person] or world.people["alice"]
    assert user is not None
    return {"rep_id": user.pk}


def complaint_on_acme(world: World, person: str) -> dict[str, Any]:
    return {"customer": world.acme, "summary": "the goods arrived damaged"}


def today_admin(world: World, person: str) -> dict[str, Any]:
    return {"on": timezone.localdate().isoformat(), "use": "admin", "minutes": 30}


ROWS = [
    Row("api-discipline-overdue", "get", expect(200)),
    Row("api-discipline-portfolio", "get", expect(200)),
    Row("api-classification", "get", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-classification",
        "patch",
        seers(200, ACME_SEERS),
        kwargs=on("acme"),
        data=fixed(employees=20, monthly_volume="40000"),
    ),
    Row("api-classification-evaluate", "post", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row("api-complaints", "get", expect(200)),
    # Naming a customer one may not see in the body is invalid input, like any other field.
    Row("api-complaints", "post", seers(201, ACME_SEERS, hidden=400), data=complaint_on_acme),
    Row("api-complaint", "get", seers(200, ACME_SEERS), kwargs=alices_complaint),
    Row(
        "api-complaint-resolve",
        "post",
        seers(200, ACME_SEERS),
        kwargs=alices_complaint,
        data=fixed(outcome="replaced the goods"),
    ),
    Row("api-complaint-loyalty", "get", expect(200)),
    Row("api-plan-week", "get", seers(200, ACME_SEERS), kwargs=alices_plan, note="Alice's"),
    Row("api-plan-generate", "post", expect(201), kwargs=for_oneself, note="one's own"),
    Row("api-plan-generate", "post", seers(201, ACME_SEERS), kwargs=for_alice, note="Alice's"),
    Row("api-time-entries", "get", expect(200)),
    Row("api-time-entries", "post", expect(201), data=today_admin),
    Row("api-time-accounting", "get", expect(200)),
]
