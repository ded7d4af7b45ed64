"""Schemathesis against the live schema, as each kind of person: no request makes the server
fail, every answer is one the schema documents (status, media type, body), and no endpoint
serves anyone who is not signed in.

The schema is read from the running app (`/api/v1/schema/`, which needs a signed-in user) and
every operation is called through Django's WSGI app in the test's own transaction, with each
person's personal token. Path and body ids are drawn half the time from the world's real
objects, so requests reach the handlers and not only their 404s. Every example is rolled back,
so each one starts from the same world: a fuzzed DELETE of one's own token, or an admin
disabling themselves, cannot spoil the examples after it.

Bounded for CI: a few derandomised examples per operation, positive and negative, no shrinking.
Raise MAX_EXAMPLES locally to look harder.

Each operation runs as a subtest with Hypothesis over `operation.as_strategy()`, rather than
through `schemathesis.pytest.from_fixture`: that loader sets `Function._nodeid`, which pytest 9
no longer has, and a schema loaded at import time could not reach the test database.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guishu.accounts.models import Team
from guishu.api.models import ApiToken
from guishu.customers.models import Identifier
from guishu.disputes.models import Violation
from tests.api.conftest import World
from tests.api.matrix_disputes import bobs_dispute

pytestmark = pytest.mark.db_facing

ROLES = ("anonymous", "alice", "dave", "carol", "diana", "admin")
MAX_EXAMPLES = 8
SCHEMA_URL = "/api/v1/schema/?format=json"

# Every check that judges one request on its own. Left out: `use_after_free`,
# `ensure_resource_availability` and `object_level_authorization` need a stateful run across
# requests (and two identities at once); the permission matrix covers who sees what, and
# `unsupported_method` / `allow_header_conformance` judge only the coverage phase's probes.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    ignored_auth,
]


def refuses_the_anonymous(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """Every API operation answers 401 to someone not signed in, whatever else they send."""
    if response.status_code != 401:
        raise AssertionError(
            f"{case.operation.label} answered {response.status_code} to an anonymous request"
        )
    return None


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The site's WSGI app, as a server runs it, on the test's database connection.

    A server closes "old" database connections when a request starts and ends; here that
    would close the one holding the test's transaction, so (as Django's test client does)
    those two receivers are off while the test runs."""
    from guishu.config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_ids(world: World) -> dict[str, list[int]]:
    people = [user.pk for user in world.people.values() if user is not None]
    return {
        "customers": [world.acme, world.delta, world.pooled],
        "contacts": [world.contact],
        "identifiers": list(
            Identifier.objects.filter(customer_id=world.acme).values_list("pk", flat=True)
        ),
        "orders": [world.order],
        "collisions": [world.collision],
        "people": people,
        "teams": list(Team.objects.values_list("pk", flat=True)),
        "tokens": list(ApiToken.objects.filter(user_id__in=people).values_list("pk", flat=True)),
        "disputes": [bobs_dispute(world, "bob")["dispute_id"]],
        "violations": list(Violation.objects.values_list("pk", flat=True)[:5]),
    }


# Which parameters name which kind of object, by location and name.
ID_PARAMETERS = {
    "path.customer_id": "customers",
    "path.contact_id": "contacts",
    "path.order_id": "orders",
    "path.collision_id": "collisions",
    "path.user_id": "people",
    "path.team_id": "teams",
    "path.id": "tokens",
    "path.dispute_id": "disputes",
    "path.violation_id": "violations",
    "body.collision": "collisions",
    "body.chosen": "people",
    "body.lead": "people",
    "query.offender": "people",
    "query.customer": "customers",
    "query.owner": "people",
    "body.to": "people",
    "body.contact": "contacts",
    "body.identifier": "identifiers",
    "body.contacts[*]": "contacts",
    "body.team": "teams",
    "body.parent": "teams",
    "body.manager": "people",
}


# A schema-valid request may still be refused with a 400 problem: the server also checks what
# a schema cannot say (that an id names an existing team or colleague, that a follow-up is not
# in the future, that text is more than spaces, that a new user has a password). Every other
# refusal of schema-valid data (415, 422, …) still fails the check.
ACCEPTED_FOR_VALID_DATA = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


def fuzzing_config(world: World) -> schemathesis.Config:
    ids = real_ids(world)
    return schemathesis.Config.from_dict(
        {
            "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_FOR_VALID_DATA}},
            "dictionaries": {kind: {"values": values} for kind, values in ids.items() if values},
            "parameters": {
                name: {"dictionary": kind, "probability": 0.5}
                for name, kind in ID_PARAMETERS.items()
                if ids[kind]
            },
        }
    )


@contextmanager
def undone() -> Iterator[None]:
    """Whatever the request writes is rolled back, and the throttle forgets it (each example
    is one request, not part of a burst)."""
    cache.clear()
    point = transaction.savepoint_create()
    try:
        yield
    finally:
        transaction.savepoint_rollback(point)


def fuzz(operation: schemathesis.APIOperation, call: Callable[[schemathesis.Case], None]) -> None:
    """A few derandomised examples of one operation, schema-valid and schema-violating."""
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def examples(case: schemathesis.Case) -> None:
        call(case)

    examples()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_holds_under_fuzzing(
    role: str, world: World, wsgi_app: Any, subtests: Any
) -> None:
    person = world.people[role]
    # The schema itself is for signed-in users; the anonymous fuzz without the key.
    _, key = ApiToken.issue(user=person or world.people["admin"], name="fuzz")
    auth = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi(
        SCHEMA_URL, wsgi_app, config=fuzzing_config(world), headers=auth
    )
    headers = None if person is None else auth
    checks = CHECKS + ([refuses_the_anonymous] if person is None else [])

    def call(case: schemathesis.Case) -> None:
        with undone():
            case.call_and_validate(headers=headers, checks=checks)

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # the schema was read in full
    for operation in operations:
        with subtests.test(msg=operation.label):
            fuzz(operation, call)
