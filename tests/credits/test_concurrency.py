"""Two owners' requests adding collaborators at once, each with 60%: real threads on their
own connections. Exactly one is accepted; the shares never total more than 100."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from guishu.disputes.collaboration import CollaborationRefused, collaboration_add
from guishu.disputes.models import Collaboration
from tests.concurrency import run_together
from tests.factories import make_user, register

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def test_two_collaborators_at_60_percent_at_once_leave_exactly_one(allow_flush: None):
    owner = make_user("owner")
    manager = make_user("boss", role="director")
    helpers = [make_user("helper1"), make_user("helper2")]
    for round_no in range(ROUNDS):
        customer = register(owner, f"Split race {round_no} Machinery Co")
        # One request by the owner, one by a director over her: two people, one customer.
        results, errors = run_together(
            [
                lambda by=by, helper=helper, pk=customer.pk: collaboration_add(
                    user=by, customer_id=pk, collaborator=helper, share=Decimal("60")
                )
                for by, helper in zip((owner, manager), helpers, strict=True)
            ]
        )

        assert len(results) == 1, f"round {round_no}: {results}, {errors}"
        assert [type(e) for e in errors] == [CollaborationRefused], f"round {round_no}: {errors}"
        assert isinstance(errors[0], CollaborationRefused)
        assert errors[0].code == "shares_over_100"
        rows = Collaboration.objects.filter(customer=customer)
        assert rows.count() == 1
        assert rows.aggregate(total=Sum("share"))["total"] == Decimal("60")
