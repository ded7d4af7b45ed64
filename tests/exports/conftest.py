"""The API's small world (tests/api/conftest.py), for the export endpoints."""

from typing import Any

import pytest

from guishu.accounts.models import User
from tests.api.conftest import World, build_world


@pytest.fixture
def world(cast: Any, wendy: User) -> World:
    return build_world(cast, wendy)
