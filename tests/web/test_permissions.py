"""Who may open which page: every route of guishu.web.urls against every kind of person, written
once as a matrix. A route added without a row fails `test_every_route_has_a_row`.

The people, as seen from Alice's customer "Acme": Alice owns it; Bob sells on her team (East);
Dave sells in West; Carol manages East; Wendy manages West; Diana directs; Admin administers.
Another rep's customer answers 404, exactly like a customer that does not exist.
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from guishu.imports.services import import_upload
from guishu.ownership.services import pool_release
from tests.factories import register
from tests.web.matrix import NOT_FOUND, OK, PEOPLE, TO_LOGIN, Row, everyone, only_alice, to

pytestmark = pytest.mark.db_facing


def matrix_modules() -> list[Any]:
    """Every tests/web/matrix_*.py, in name order."""
    import tests.web

    names = sorted(m.name for m in pkgutil.iter_modules(tests.web.__path__))
    return [importlib.import_module(f"tests.web.{n}") for n in names if n.startswith("matrix_")]


MATRIX = [
    Row("login", everyone(to("home"), anonymous=OK)),
    Row("logout", everyone(to("login")), method="post"),
    Row(
        "set_language",
        everyone(to("customer-list"), anonymous=to("customer-list")),
        method="post",
        data={"language": "en", "next": "/customers/"},
    ),
    Row("customer-list", everyone(OK)),
    Row(
        "customer-detail",
        subject="acme",
        expect={
            "anonymous": TO_LOGIN,
            "alice": OK,
            "bob": NOT_FOUND,
            "dave": NOT_FOUND,
            "carol": OK,
            "wendy": NOT_FOUND,
            "diana": OK,
            "admin": OK,
        },
    ),
    Row(
        "customer-detail",
        subject="delta",
        expect={
            "anonymous": TO_LOGIN,
            "alice": NOT_FOUND,
            "bob": NOT_FOUND,
            "dave": OK,
            "carol": NOT_FOUND,
            "wendy": OK,
            "diana": OK,
            "admin": OK,
        },
    ),
    Row("customer-detail", subject="pooled", expect=everyone(OK)),
    # Anyone signed in may open the form and run the check; whether they may own the customer
    # is the registration service's answer (directors and admins are refused there).
    Row("customer-register", everyone(OK)),
    Row("customer-register", everyone(OK), method="post", data={"name": ""}),
    Row("customer-precheck", everyone(OK), method="post", data={"name": "Acme Tools"}),
    Row("customer-detail", subject="missing", expect=everyone(NOT_FOUND)),
    # Imports: anyone signed in uploads their own; a job is its uploader's (404 for others).
    Row("import-list", everyone(OK)),
    Row("import-list", everyone(OK), method="post", data={"kind": "customers"}),
    Row("import-detail", subject="alices_job", expect=only_alice(OK)),
    Row(
        "import-mapping",
        subject="alices_job",
        expect=only_alice(to("import-detail")),
        method="post",
        data={"column-0": "name"},
    ),
    Row(
        "import-preview",
        subject="alices_job",
        expect=only_alice(to("import-detail")),
        method="post",
    ),
    Row(
        "import-commit",
        subject="alices_job",
        expect=only_alice(to("import-detail")),
        method="post",
    ),
    Row("import-progress", subject="alices_job", expect=only_alice(OK)),
]
MATRIX += [row for module in matrix_modules() for row in module.ROWS]


def route_names(patterns: list[URLPattern | URLResolver]) -> Iterator[str | None]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from route_names(pattern.url_patterns)
        else:
            yield pattern.name


def test_every_route_has_a_row():
    names = list(route_names(get_resolver("guishu.web.urls").url_patterns))
    assert None not in names, "every page route needs a name, and a row in MATRIX"
    assert set(names) == {row.route for row in MATRIX}


def test_every_row_names_every_person():
    for row in MATRIX:
        assert set(row.expect) == set(PEOPLE), row.id


def outcome(response: Any) -> Any:
    """The status, or for a redirect where it leads: a URL name, or the login page with `next`."""
    if response.status_code != 302:
        return response.status_code
    location = urlsplit(response["Location"])
    name = resolve(location.path).url_name
    if name == "login" and location.query.startswith("next="):
        return TO_LOGIN
    return to(name)


@pytest.fixture
def world(cast, wendy) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    pooled = register(cast.bob, "Pooled Ltd")
    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted
    return {
        "people": {
            "anonymous": None,
            "alice": cast.alice,
            "bob": cast.bob,
            "dave": cast.dave,
            "carol": cast.carol,
            "wendy": wendy,
            "diana": cast.diana,
            "admin": cast.admin,
        },
        "subjects": {
            "acme": register(cast.alice, "Acme Tools").pk,
            "delta": register(cast.dave, "Delta Trading").pk,
            "pooled": pooled.pk,
            "missing": 999_999,
            "alices_job": import_upload(
                user=cast.alice,
                kind="customers",
                filename="alice.csv",
                data="客户名称,电话\nNordwind Pumpen GmbH,+49 711 5550 1234\n".encode(),
            ).pk,
        },
        "kwargs": {
            name: kwargs
            for module in matrix_modules()
            if hasattr(module, "subjects")
            for name, kwargs in module.subjects(cast, wendy).items()
        },
    }


def url_for(row: Row, subjects: Mapping[str, int], kwargs: Mapping[str, Any]) -> str:
    if row.subject is None:
        return reverse(row.route)
    if row.subject in kwargs:
        return reverse(row.route, kwargs=kwargs[row.subject])
    if row.subject.endswith("_job"):
        return reverse(row.route, kwargs={"job_id": subjects[row.subject]})
    return reverse(row.route, kwargs={"customer_id": subjects[row.subject]})


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_permission_matrix(row: Row, world: dict[str, Any]):
    url = url_for(row, world["subjects"], world["kwargs"])
    actual = {}
    for person in PEOPLE:
        client = Client()
        user = world["people"][person]
        if user is not None:
            client.force_login(user)
        request: Callable[..., Any] = getattr(client, row.method)
        actual[person] = outcome(request(url, dict(row.data)))
    assert actual == dict(row.expect)
