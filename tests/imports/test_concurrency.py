"""An import racing registrations on a real database (threads, each with its own connection):
whoever files a customer first owns it, the other is a collision, and nobody gets a second
owner or a second customer for one identity. Runs on SQLite and again on PostgreSQL in CI."""

import time

import pytest

from guishu.accounts.models import User
from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer, IdentityKey
from guishu.customers.services import customer_update
from guishu.disputes.models import Collision
from guishu.imports import customer_import
from guishu.imports.services import import_commit
from guishu.ownership.models import Ownership
from guishu.ownership.registration import customer_register
from tests.concurrency import run_together
from tests.factories import make_cast, register
from tests.imports.conftest import HEADER, upload

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


def customers_with_phone(phone: str) -> list[Customer]:
    ids = IdentityKey.objects.filter(kind="phone", value=phone).values_list("customer_id")
    return list(Customer.objects.filter(pk__in=ids))


def register_after(delay: float, user: User, data: CustomerInput) -> object:
    """A registration a moment into the import (a different moment each round, so that the
    import wins some rounds and the registration others). Each round's customer looks like
    the last round's; the rep confirms it is another one, as the registration race test does."""
    time.sleep(delay)
    return customer_register(user=user, data=data, confirm_distinct=True)


def test_a_registration_racing_an_import_leaves_one_customer_and_one_owner(allow_flush: None):
    cast = make_cast()
    for round_no in range(ROUNDS):
        phone = f"+8613900{round_no:06d}"
        # Few rows a round: Bob stays under the holding cap (200) however many rounds.
        rows = [HEADER] + [[f"Filler {round_no}-{n} Ltd", "", "", "", ""] for n in range(10)]
        rows.insert(1 + round_no, [f"Race {round_no} Precision Co., Ltd.", phone, "", "", ""])
        job = upload(cast.bob, rows)
        data = CustomerInput(name=f"Race {round_no} Precision Co., Ltd.", phones=(phone,))

        _results, errors = run_together(
            [
                lambda job=job: import_commit(user=cast.bob, job_id=job.pk),
                lambda data=data, delay=round_no * 0.04: register_after(delay, cast.alice, data),
            ]
        )

        assert errors == [], f"round {round_no}: {errors}"
        found = customers_with_phone(phone)
        assert len(found) == 1, f"round {round_no}: {len(found)} customers"
        customer = found[0]
        owners = list(
            Ownership.objects.filter(customer=customer, ended_at__isnull=True).values_list(
                "owner_id", flat=True
            )
        )
        assert len(owners) == 1
        loser = cast.alice if owners[0] == cast.bob.pk else cast.bob
        assert Collision.objects.filter(customer=customer, attempted_by=loser).count() == 1


def test_a_customer_registered_while_the_rows_were_judged_is_found_before_writing(
    allow_flush: None, monkeypatch: pytest.MonkeyPatch
):
    """The import judges outside its transaction; what was registered meanwhile is looked
    for again under its locks, so the row becomes a collision, not a second customer."""
    cast = make_cast()
    judged = customer_import.customers_judge

    def judge_then_someone_registers(*args: object, **kwargs: object) -> None:
        judged(*args, **kwargs)  # type: ignore[arg-type]
        data = CustomerInput(name="Late Bird Trading Co", phones=("+8613912345678",))
        assert customer_register(user=cast.alice, data=data).created

    monkeypatch.setattr(customer_import, "customers_judge", judge_then_someone_registers)
    rows = [HEADER, ["Late Bird Trading Company", "139 1234 5678", "", "", ""]]
    report = import_commit(user=cast.bob, job_id=upload(cast.bob, rows).pk)

    assert report.counts["collision"] == 1 and report.counts["imported"] == 0
    (customer,) = customers_with_phone("+8613912345678")
    assert Collision.objects.get().attempted_by == cast.bob
    assert Ownership.objects.get(customer=customer, ended_at__isnull=True).owner == cast.alice


def test_a_customer_given_the_rows_phone_while_the_rows_were_judged_is_found_too(
    allow_flush: None, monkeypatch: pytest.MonkeyPatch
):
    cast = make_cast()
    theirs = register(cast.alice, "Early Bird Trading Co")
    judged = customer_import.customers_judge

    def judge_then_alice_adds_the_phone(*args: object, **kwargs: object) -> None:
        judged(*args, **kwargs)  # type: ignore[arg-type]
        data = CustomerInput(name="Early Bird Trading Co", phones=("+8613912345679",))
        assert customer_update(user=cast.alice, customer_id=theirs.pk, data=data).updated

    monkeypatch.setattr(customer_import, "customers_judge", judge_then_alice_adds_the_phone)
    rows = [HEADER, ["EB Trading", "139 1234 5679", "", "", ""]]
    report = import_commit(user=cast.bob, job_id=upload(cast.bob, rows).pk)

    assert report.counts["collision"] == 1 and report.counts["imported"] == 0
    assert customers_with_phone("+8613912345679") == [theirs]
