"""Fixtures for the pages: a manager for West (Wendy) next to the shared cast."""

import pytest


@pytest.fixture
def wendy(cast):  # type: ignore[no-untyped-def]
    """Wendy manages West, where Dave sells."""
    from tests.factories import make_user

    wendy = make_user("wendy", role="manager", team=cast.west, display_name="Wendy")
    cast.west.manager = wendy
    cast.west.save(update_fields=["manager"])
    return wendy
