"""Importing customers: what becomes new, what collides, what is skipped, and that an import
writes exactly what a registration writes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer, Identifier, IdentityKey
from guishu.disputes.models import Collision
from guishu.imports import stored
from guishu.imports.models import ImportJob
from guishu.imports.services import import_commit, import_preview
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.registration import customer_register
from guishu.pools.models import Pool, PoolPlacement
from tests.factories import register
from tests.imports.conftest import HEADER, commit, preview, upload

pytestmark = pytest.mark.db_facing


@pytest.fixture(params=["looked up", "read whole"])
def key_reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored keys are looked up by the file's keys, or read whole by kind: the same
    answers either way."""
    monkeypatch.setattr(stored, "WHOLE_KIND_FACTOR", 0 if request.param == "looked up" else 10**6)


def owners_of(customer: Customer) -> list[int]:
    return list(
        Ownership.objects.filter(customer=customer, ended_at__isnull=True).values_list(
            "owner_id", flat=True
        )
    )


@pytest.fixture
def alices(cast):  # type: ignore[no-untyped-def]
    """Alice already registered two customers."""
    return [
        register(
            cast.alice,
            "苏州恒达精密机械有限公司",
            phones=("0512-6578 1234",),
            emails=("sales@hengda-precision.com",),
        ),
        register(cast.alice, "Acme Robotics GmbH", websites=("https://www.acme-robotics.de",)),
    ]


MIXED = [
    HEADER,
    # Bob's own customers...
    ["杭州天元贸易有限公司", "0571-8888 1234", "", "", "杭州"],
    ["Zenith Tools Ltd", "+44 20 7946 0321", "buy@zenith-tools.co.uk", "", "London"],
    # ...and Alice's, typed his way: her phone, her domain.
    ["恒达精密(苏州)", "+86 512 65781234", "", "", "苏州"],
    ["ACME ROBOTICS", "", "", "acme-robotics.de", ""],
]


def test_a_file_mixing_two_reps_customers_records_collisions_and_merges_nothing(
    cast, alices, key_reading
):
    report = commit(cast.bob, MIXED)

    assert report.written
    assert report.counts["new"] == 2
    assert report.counts["collision"] == 2
    assert report.counts["imported"] == 2
    for customer in alices:
        assert owners_of(customer) == [cast.alice.pk]
        collision = Collision.objects.get(customer=customer)
        assert (collision.attempted_by, collision.owner, collision.action) == (
            cast.bob,
            cast.alice,
            "register",
        )
        assert collision.trace and collision.reasons
        assert collision.submitted["import"] == report.job.pk
    # Nothing of Bob's rows reached Alice's customers.
    assert not Identifier.objects.filter(customer=alices[0], value="+86 512 65781234").exists()
    assert Customer.objects.count() == 4
    for customer in Customer.objects.exclude(pk__in=[c.pk for c in alices]):
        assert owners_of(customer) == [cast.bob.pk]
        assert customer_ownership_explain(customer=customer).history_agrees


def test_an_imported_customer_is_exactly_what_a_registration_makes(cast):
    data = CustomerInput(
        name="宁波永丰五金制品有限公司",
        phones=("0574-8765 4321",),
        emails=("export@yongfeng-hw.com",),
        websites=("www.yongfeng-hw.com",),
        city="宁波",
        contacts=(),
    )
    registered = customer_register(user=cast.alice, data=data).customer
    assert registered is not None
    rows = [
        ["客户名称", "电话", "邮箱", "网址", "城市"],
        ["宁波永丰五金制品(集团)有限公司", "0574-8765 4322", "info@yf-hw.cn", "yf-hw.cn", "宁波"],
    ]
    report = commit(cast.bob, rows)
    imported = Customer.objects.get(name="宁波永丰五金制品(集团)有限公司")
    twin = customer_register(
        user=cast.dave,
        data=CustomerInput(
            name="宁波永丰五金制品(集团)有限公司 ",
            phones=("0574-8765 4322",),
            emails=("info@yf-hw.cn",),
            websites=("yf-hw.cn",),
            city="宁波",
        ),
        confirm_distinct=True,
    )
    # Dave's registration of the same row collides with Bob's import: the same customer.
    assert twin.customer == imported and twin.collision is not None

    def keys(customer: Customer) -> set[tuple[str, str]]:
        return set(customer.identity_keys.values_list("kind", "value"))

    fresh = Customer.objects.create(name="x", created_by=cast.bob)  # a control: keys differ
    assert keys(imported) and keys(imported) != keys(fresh)
    assert imported.match_profile["id"] == str(imported.pk)
    assert set(imported.identifiers.values_list("kind", "value")) == {
        ("phone", "0574-8765 4322"),
        ("email", "info@yf-hw.cn"),
        ("website", "yf-hw.cn"),
    }
    term = Ownership.objects.get(customer=imported, ended_at__isnull=True)
    event = OwnershipEvent.objects.get(customer=imported)
    assert (term.owner, term.basis, event.kind, event.actor, event.to_owner) == (
        cast.bob,
        "registered",
        "registered",
        cast.bob,
        cast.bob,
    )
    assert term.protected_until == event.protected_until
    assert event.evidence["import"] == str(report.job.pk)
    assert event.trace[0]["message"].startswith("registered by {rep}")
    assert customer_ownership_explain(customer=imported).history_agrees


def test_a_malformed_row_stops_an_all_or_nothing_import_and_says_where(cast):
    rows = [
        HEADER,
        ["Alpha Trading Co", "+86 21 5555 0101", "", "", "上海"],
        ["Beta Trading Co", "12", "not-an-email", "", "上海"],
        ["", "+86 21 5555 0103", "", "", "上海"],
    ]
    with translation.override("en"):
        report = commit(cast.bob, rows)

    assert not report.written
    assert report.job.status == ImportJob.Status.FAILED
    assert Customer.objects.count() == 0
    assert OwnershipEvent.objects.count() == 0
    cells = {(p["row"], p["column"]) for p in report.problems}
    assert {(3, "电话"), (3, "邮箱"), (4, "客户名称")} <= cells
    assert all(p["reason"] for p in report.problems)
    assert "nothing was imported" in report.message


def test_skipping_invalid_rows_imports_the_rest(cast):
    rows = [
        HEADER,
        ["Alpha Trading Co", "+86 21 5555 0101", "", "", "上海"],
        ["Beta Trading Co", "", "not-an-email", "", "上海"],
    ]
    report = commit(cast.bob, rows, mode="skip_invalid")

    assert report.written
    assert report.counts["invalid"] == 1 and report.counts["imported"] == 1
    assert list(Customer.objects.values_list("name", flat=True)) == ["Alpha Trading Co"]
    assert report.problems[0]["row"] == 3


def test_importing_the_same_file_again_adds_nothing(cast, alices):
    first = commit(cast.bob, MIXED)
    counts = (
        Customer.objects.count(),
        Collision.objects.count(),
        OwnershipEvent.objects.count(),
        IdentityKey.objects.count(),
    )

    again = upload(cast.bob, MIXED)
    assert again.same_file_as == first.job
    preview_report = import_preview(user=cast.bob, job_id=again.pk)
    assert "importing it again adds nothing" in preview_report.message or preview_report.message
    report = import_commit(user=cast.bob, job_id=again.pk)

    assert report.written
    assert report.counts["imported"] == 0
    assert report.counts["already_yours"] == 2
    assert report.counts["collision"] == 2
    assert report.counts["collisions_known"] == 2
    assert (
        Customer.objects.count(),
        Collision.objects.count(),
        OwnershipEvent.objects.count(),
        IdentityKey.objects.count(),
    ) == counts


def test_duplicates_inside_the_file_keep_the_first_and_name_it(cast):
    rows = [
        HEADER,
        ["深圳市华达电子有限公司", "13800138000", "", "", "深圳"],
        ["Other Co Ltd", "+44 20 7946 0999", "", "", ""],
        ["华达电子(深圳)", "138 0013 8000", "", "", "深圳"],
    ]
    report = preview(cast.bob, rows)

    assert report.counts["new"] == 2
    assert report.counts["duplicate_in_file"] == 1
    assert report.samples["duplicate_in_file"][0]["row"] == 4
    assert report.samples["duplicate_in_file"][0]["duplicate_of"] == 2
    assert Customer.objects.count() == 0  # a preview writes nothing

    commit(cast.bob, rows)
    assert list(Customer.objects.order_by("pk").values_list("name", flat=True)) == [
        "深圳市华达电子有限公司",
        "Other Co Ltd",
    ]


OWNED = [
    [*HEADER, "负责人"],
    ["Alpha Trading Co", "+86 21 5555 0101", "", "", "上海", "alice"],
    ["Beta Trading Co", "+86 21 5555 0102", "", "", "上海", "Bob"],
    ["Alpha Trading Company", "021-5555 0101", "", "", "上海", "bob"],  # Alice's, by the phone
]


def test_an_owner_column_assigns_each_customer_and_finds_conflicts_between_reps(cast):
    report = commit(cast.admin, OWNED, owner_rule="owner_column")

    assert report.written
    alpha = Customer.objects.get(name="Alpha Trading Co")
    beta = Customer.objects.get(name="Beta Trading Co")
    assert owners_of(alpha) == [cast.alice.pk] and owners_of(beta) == [cast.bob.pk]
    event = OwnershipEvent.objects.get(customer=alpha)
    assert (event.kind, event.actor, event.to_owner) == ("registered", cast.admin, cast.alice)
    # Two reps listed one customer: the second is a collision, recorded for a dispute.
    collision = Collision.objects.get(customer=alpha)
    assert (collision.attempted_by, collision.owner) == (cast.bob, cast.alice)
    assert report.counts["collision"] == 1
    assert Customer.objects.count() == 2


def test_an_owner_column_refuses_people_the_importer_does_not_manage(cast):
    rows = [
        [*HEADER, "负责人"],
        ["Alpha Trading Co", "+86 21 5555 0101", "", "", "", "alice"],
        ["Gamma Trading Co", "+86 21 5555 0103", "", "", "", "dave"],  # West, not Carol's
        ["Delta Trading Co", "+86 21 5555 0104", "", "", "", "nobody"],
    ]
    report = commit(cast.carol, rows, owner_rule="owner_column", mode="skip_invalid")

    assert report.counts["imported"] == 1
    assert {p["row"] for p in report.problems} == {3, 4}
    with pytest.raises(PermissionDenied):
        commit(cast.bob, rows, owner_rule="owner_column")


def test_a_pool_import_creates_pooled_customers_and_claims_nothing(cast, alices):
    pool = Pool.objects.create(name="Imported")
    rows = [
        HEADER,
        ["Alpha Trading Co", "+86 21 5555 0101", "", "", "上海"],
        ["ACME ROBOTICS", "", "", "acme-robotics.de", ""],  # Alice's
    ]
    report = commit(cast.admin, rows, owner_rule="pool", pool_id=pool.pk)

    alpha = Customer.objects.get(name="Alpha Trading Co")
    assert owners_of(alpha) == []
    assert PoolPlacement.objects.get(customer=alpha).pool == pool
    assert not OwnershipEvent.objects.filter(customer=alpha).exists()
    assert report.counts["owned"] == 1
    assert not Collision.objects.exists()
    assert owners_of(alices[1]) == [cast.alice.pk]


def test_rows_matching_the_pool_are_reported_not_claimed(cast):
    pooled = register(cast.alice, "Omega Trading Co", phones=("+86 21 5555 0199",))
    from guishu.ownership.services import pool_release

    pool_release(user=cast.alice, customer_id=pooled.pk)
    report = commit(cast.bob, [HEADER, ["Omega Trading", "+86 21 5555 0199", "", "", ""]])

    assert report.counts["pool_match"] == 1 and report.counts["imported"] == 0
    assert owners_of(pooled) == []


def test_the_holding_cap_refuses_rows_beyond_it(cast, settings):
    from guishu.policies.services import policy_version_save

    policy_version_save(user=cast.admin, team=None, values={"max_held": 2})
    rows = [HEADER] + [
        [f"Company {n} Trading Ltd", f"+86 21 5555 01{n:02d}", "", "", ""] for n in range(3)
    ]

    report = commit(cast.bob, rows)
    assert not report.written and Customer.objects.count() == 0
    assert report.counts["refused"] == 1

    report = commit(cast.bob, rows, mode="skip_invalid")
    assert report.counts["imported"] == 2 and report.counts["refused"] == 1


def test_a_reps_preview_masks_another_reps_contact_details(cast, alices, key_reading):
    rows = [HEADER, ["苏州恒达精密机械有限公司", "", "", "", "苏州"]]
    report = preview(cast.bob, rows)

    answer = report.samples["collision"][0]["matches"][0]
    assert answer["name"] == "苏州恒达精密机械有限公司"  # who has it may be known...
    assert answer["status"]["params"]["owner"] == "Alice"
    assert answer["visible"] is False
    shown = str(answer["reasons"])
    assert "sales@hengda-precision.com" not in shown  # ...their details may not
    assert "65781234" not in shown

    report = preview(cast.diana, rows, owner_rule="pool")
    assert report.samples["owned"][0]["matches"][0]["visible"] is True


def test_a_file_judged_on_every_core_gets_the_same_answers(cast, alices, monkeypatch):
    """Large files are read, profiled and judged in forked workers; a small one is made to
    take that path here."""
    from guishu.imports import judge

    serial = preview(cast.bob, MIXED).counts
    monkeypatch.setattr(judge, "PARALLEL_FROM", 2)
    monkeypatch.setattr(judge.os, "cpu_count", lambda: 2)

    assert preview(cast.bob, MIXED).counts == serial
    report = commit(cast.bob, MIXED)
    assert (report.counts["collision"], report.counts["imported"]) == (2, 2)
