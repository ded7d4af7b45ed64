"""Shared fixtures: a cast of people (Alice and Bob, reps on one team; Carol, their manager;
Dave, a rep on another team; Diana, the director), and the event-guard dance that lets
transactional tests empty the database between tests."""

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Real hashing costs ~0.3 s a user; tests create hundreds. Hashing is not under test."""
    if not request.config.pluginmanager.hasplugin("django"):
        return  # the pure tiers run without Django: pytest tests/domain -p no:django
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def allow_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """For tests on real transactions: the ownership-event triggers refuse the DELETE/TRUNCATE
    that empties the database after each such test, so they are lifted just for that flush
    and restored before the next test starts."""
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from guishu.ownership.db_guards import install_event_guards, remove_event_guards

    install_event_guards(connection)
    yield
    connection.close()  # a fresh connection for the flush, after the test's threads
    remove_event_guards(connection)


@pytest.fixture
def cast(db: None):  # type: ignore[no-untyped-def]
    from tests.factories import make_cast

    return make_cast()


@pytest.fixture
def wendy(cast):  # type: ignore[no-untyped-def]
    """Wendy manages West, where Dave sells."""
    from tests.factories import make_user

    wendy = make_user("wendy", role="manager", team=cast.west, display_name="Wendy")
    cast.west.manager = wendy
    cast.west.save(update_fields=["manager"])
    return wendy
