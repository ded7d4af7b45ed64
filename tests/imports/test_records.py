"""Importing contacts and activities: the rules of contact_add and activity_log, in bulk."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.customers.models import Contact, IdentityKey
from guishu.disputes.models import Collaboration, Collision
from guishu.ownership.models import Ownership
from tests.factories import register
from tests.imports.conftest import commit, preview

pytestmark = pytest.mark.db_facing

CONTACTS = ["客户名称", "联系人", "职位", "手机", "邮箱", "决策链角色"]


@pytest.fixture
def book(cast):  # type: ignore[no-untyped-def]
    """Bob's customer, and Alice's (with a phone Bob must not give his)."""
    return {
        "bob": register(cast.bob, "Zenith Tools Ltd", phones=("+44 20 7946 0321",)),
        "alice": register(cast.alice, "Acme Robotics GmbH", phones=("+49 30 1234 5678",)),
    }


def test_contacts_go_to_the_importers_own_customers_and_their_keys_follow(cast, book):
    rows = [
        CONTACTS,
        [
            "ZENITH TOOLS LIMITED",
            "John Smith",
            "Buyer",
            "+44 7700 900123",
            "john@zenith.co.uk",
            "决策者",
        ],
        ["Zenith Tools Ltd", "Mary Jones", "", "", "", "内线"],
    ]
    report = commit(cast.bob, rows, kind="contacts")

    assert report.written and report.counts["new"] == 2
    john = Contact.objects.get(name="John Smith")
    assert (john.customer, john.chain_role, john.title) == (book["bob"], "decision_maker", "Buyer")
    assert IdentityKey.objects.filter(
        customer=book["bob"], kind="email", value="john@zenith.co.uk"
    ).exists()

    again = commit(cast.bob, rows, kind="contacts")
    assert again.counts["already_recorded"] == 2 and again.counts["imported"] == 0
    assert Contact.objects.count() == 2


def test_contacts_for_another_reps_customer_are_refused_without_saying_whose(cast, book):
    rows = [CONTACTS, ["Acme Robotics GmbH", "Hans Meier", "", "", "", ""]]
    report = commit(cast.bob, rows, kind="contacts")

    assert not report.written and not Contact.objects.exists()
    assert report.problems[0]["row"] == 2
    assert "Alice" not in report.problems[0]["reason"]


def test_a_contact_carrying_another_reps_phone_is_a_collision(cast, book):
    rows = [
        CONTACTS,
        ["Zenith Tools Ltd", "Hans Meier", "", "+49 30 1234 5678", "", ""],
        ["Zenith Tools Ltd", "Mary Jones", "", "", "", ""],
    ]
    report = commit(cast.bob, rows, kind="contacts")

    assert report.written
    assert report.counts["collision"] == 1 and report.counts["imported"] == 1
    collision = Collision.objects.get()
    assert (collision.customer, collision.attempted_by, collision.action) == (
        book["alice"],
        cast.bob,
        "edit",
    )
    assert list(Contact.objects.values_list("name", flat=True)) == ["Mary Jones"]


ACTIVITIES = ["客户名称", "跟进方式", "跟进时间", "跟进内容", "联系人"]


def test_activities_on_ones_own_customer_restart_the_clock_and_are_not_logged_twice(cast, book):
    when = timezone.localtime() - timedelta(days=2)
    rows = [
        ACTIVITIES,
        ["Zenith Tools Ltd", "电话", when.strftime("%Y-%m-%d %H:%M"), "price list sent", ""],
        ["Zenith Tools Ltd", "拜访", when.strftime("%Y/%m/%d"), "", ""],
    ]
    report = commit(cast.bob, rows, kind="activities")

    assert report.written and report.counts["imported"] == 2
    call = Activity.objects.get(kind="call")
    assert (call.by, call.channel, call.customer) == (cast.bob, "phone", book["bob"])
    term = Ownership.objects.get(customer=book["bob"], ended_at__isnull=True)
    assert term.last_follow_up_at is not None

    again = commit(cast.bob, rows, kind="activities")
    assert again.counts["already_recorded"] == 2 and Activity.objects.count() == 2


def test_an_activity_on_another_reps_customer_is_refused_and_recorded(cast, book):
    when = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d")
    rows = [ACTIVITIES, ["Acme Robotics GmbH", "拜访", when, "visited their plant", ""]]
    assert preview(cast.bob, rows, kind="activities").counts["collision"] == 1

    report = commit(cast.bob, rows, kind="activities")
    assert report.written and report.counts["imported"] == 0
    collision = Collision.objects.get()
    assert (collision.customer, collision.attempted_by, collision.action) == (
        book["alice"],
        cast.bob,
        "follow_up",
    )
    assert collision.submitted["activity"]["note"] == "visited their plant"
    assert not Activity.objects.exists()


def test_a_collaborators_activity_is_accepted(cast, book):
    Collaboration.objects.create(
        customer=book["alice"], user=cast.bob, started_at=timezone.now(), created_by=cast.alice
    )
    when = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d")
    report = commit(
        cast.bob, [ACTIVITIES, ["Acme Robotics GmbH", "邮件", when, "", ""]], kind="activities"
    )

    assert report.counts["imported"] == 1 and not Collision.objects.exists()


def test_an_activity_in_the_future_is_an_invalid_row(cast, book):
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%d")
    report = commit(
        cast.bob, [ACTIVITIES, ["Zenith Tools Ltd", "电话", when, "", ""]], kind="activities"
    )

    assert not report.written and report.problems[0]["row"] == 2
