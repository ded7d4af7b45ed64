"""Concurrent classification of one customer: writers queue on the customer's lock, so the
level, the classification and its history always agree."""

from itertools import pairwise

import pytest

from guishu.customers.models import Customer
from guishu.discipline.models import Classification, ClassificationChange
from guishu.discipline.services import ClassificationInput, classification_set
from tests.concurrency import run_together
from tests.factories import register

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]


def test_concurrent_hand_settings_leave_level_and_history_consistent(cast, allow_flush):
    acme = register(cast.alice, "Acme Tools")
    workers = [
        lambda level=level, user=user: classification_set(
            user=user,
            customer_id=acme.pk,
            data=ClassificationInput(potential=level, note=f"set to {level}"),
        )
        for level, user in (("A", cast.alice), ("B", cast.carol), ("A", cast.diana))
    ]
    results, errors = run_together(workers)
    assert errors == [] and len(results) == 3
    row = Classification.objects.get(customer=acme)
    assert Classification.objects.filter(customer=acme).count() == 1
    assert Customer.objects.get(pk=acme.pk).level == row.potential
    changes = list(
        ClassificationChange.objects.filter(customer=acme, field="potential").order_by("pk")
    )
    # Each change starts where the one before it ended.
    assert changes[0].before == "C"
    for earlier, later in pairwise(changes):
        assert later.before == earlier.after
    assert changes[-1].after == row.potential
